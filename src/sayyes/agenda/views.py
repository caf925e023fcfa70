import hashlib
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.cache import cache
from django.db.models import Count, Max
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from sayyes.core.forms import redirect_back
from sayyes.core.ids import is_ascii_digits
from sayyes.core.pages import capped_count as core_capped_count
from sayyes.network.models import FollowUp
from sayyes.pipeline import services as pipeline
from sayyes.pipeline.models import Interview, InterviewStatus, Status
from sayyes.practice.models import Review
from sayyes.triage.costs import kind_noun

from .models import CalendarFeed
from .services import OVERDUE_PAGE, build_agenda, mark_interview_done, undo_interview_done

DASHBOARD_WEEK_ROWS = 12
# The dashboard's other counts stop reading here and say "99+" (issue 18): each is one
# COUNT over at most COUNT_CAP + 1 index entries, however many rows match.
COUNT_CAP = 99


def capped_count(queryset) -> tuple[int, str]:
    """How many rows ``queryset`` has, read no further than COUNT_CAP + 1, and its label."""
    return core_capped_count(queryset, COUNT_CAP)


@login_required
def dashboard(request):
    user = request.user
    count_rows = pipeline.count_rows(user)  # kept by triggers: one small read for both
    counts = pipeline.status_counts(user, count_rows)
    now = timezone.localtime()
    week_start = (now - timedelta(days=now.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    week_end = week_start + timedelta(days=7)
    this_week = (
        Interview.objects.owned_by(user)
        .filter(starts_at__gte=week_start, starts_at__lt=week_end)
        .exclude(status=InterviewStatus.CANCELLED)
        .select_related("opportunity__company")
        .order_by("starts_at")
    )
    next_up = pipeline.upcoming_interviews(user)[:5]
    funnel = pipeline.funnel(user, count_rows)
    recent = pipeline.latest_events(user, 8)
    total = sum(counts.values())
    week_count, week_label = capped_count(this_week)
    open_followups = FollowUp.objects.owned_by(user).filter(done_at__isnull=True)
    followups_due, followups_due_label = capped_count(
        open_followups.filter(due_at__lt=now + timedelta(days=1))
    )
    followups_overdue, followups_overdue_label = capped_count(open_followups.filter(due_at__lt=now))
    practice_due, practice_due_label = capped_count(
        Review.objects.owned_by(user).filter(due__lte=timezone.now())
    )
    return render(
        request,
        "agenda/dashboard.html",
        {
            "counts": [(Status(s).label, s, n) for s, n in counts.items()],
            "total": total,
            "active": sum(
                counts[s] for s in ["saved", "applied", "screening", "interviewing", "offer"]
            ),
            "this_week": this_week[:DASHBOARD_WEEK_ROWS],
            "this_week_count": week_count,
            "this_week_count_label": week_label,
            "next_up": next_up,
            "funnel": {
                "labels": [Status(s).label for s, _ in funnel],
                "values": [n for _, n in funnel],
            },
            "funnel_rows": [(Status(s).label, n) for s, n in funnel],
            "recent": recent,
            "followups_due": followups_due,
            "followups_due_label": followups_due_label,
            "followups_overdue": followups_overdue,
            "followups_overdue_label": followups_overdue_label,
            "practice_due": practice_due,
            "practice_due_label": practice_due_label,
            "week_start": week_start,
            "now": timezone.now(),
            # Say yes (issue 8): invitations still waiting for an answer.
            "invitations": Interview.objects.owned_by(user)
            .filter(status=InterviewStatus.INVITED, starts_at__gte=timezone.now())
            .select_related("opportunity__company")
            .order_by("starts_at")[:5],
        },
    )


@login_required
def agenda(request):
    # Overdue follow-ups come a page at a time (?overdue_page=2); junk means the first page,
    # as on the other paged lists.
    raw = request.GET.get("overdue_page", "1")
    page = int(raw) if is_ascii_digits(raw) and 0 < len(raw) < 7 else 1
    plan = build_agenda(request.user, overdue_offset=(max(page, 1) - 1) * OVERDUE_PAGE)
    return render(
        request,
        "agenda/agenda.html",
        {
            "agenda": plan,
            "overdue_page": max(page, 1),
            "overdue_page_size": OVERDUE_PAGE,
            "now": timezone.now(),
            # Shown once, just after "Mark done": the way back.
            "undo": request.session.pop(UNDO_SESSION_KEY, None),
        },
    )


UNDO_SESSION_KEY = "undo_interview_done"
UNDO_SALT = "sayyes.agenda.undo-done"
UNDO_MAX_AGE = 24 * 3600


@login_required
@require_POST
def interview_mark_done(request, pk):
    """One click: the interview is done (its thank-you notes are made), with an undo."""
    interview = Interview.objects.select_related("opportunity__company").get_for(request.user, pk)
    what = f"the {kind_noun(interview)} with {interview.opportunity.company.name}"
    if interview.status == InterviewStatus.DONE:
        messages.info(request, f"{what.capitalize()} was already marked done.")
        return redirect_back(request, "agenda")
    undo = mark_interview_done(interview)
    request.session[UNDO_SESSION_KEY] = {
        "token": signing.dumps(undo, salt=UNDO_SALT),
        "interview": interview.pk,
        "what": what,
    }
    made = len(undo["followups"])
    messages.success(
        request,
        f"Marked done: {what}."
        + (
            f" {made} thank-you note{'s' if made != 1 else ''} to write are on your agenda."
            if made
            else ""
        ),
    )
    return redirect_back(request, "agenda")


@login_required
@require_POST
def interview_undo_done(request, pk):
    interview = Interview.objects.select_related("opportunity__company").get_for(request.user, pk)
    try:
        undo = signing.loads(request.POST.get("undo", ""), salt=UNDO_SALT, max_age=UNDO_MAX_AGE)
    except signing.BadSignature:
        undo = {}
    if undo_interview_done(interview, undo):
        messages.success(
            request,
            f"Undone: the {kind_noun(interview)} with "
            f"{interview.opportunity.company.name} is {interview.get_status_display().lower()} again.",
        )
    else:
        messages.error(
            request, "Nothing to undo: that interview was changed since, or the undo is too old."
        )
    return redirect_back(request, "agenda")


def _ics_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


FEED_PAST_DAYS = 180


def _names_digest(interviews, offers) -> str:
    """A digest of the names the calendar shows that have no change time of their own:
    companies and interviewers. Renaming one changes the feed's ETag, so calendar apps
    get the new name instead of a 304 (names only: one narrow query each, no rendering)."""
    digest = hashlib.blake2b(digest_size=8)
    for row in interviews.order_by("pk").values_list("pk", "opportunity__company__name"):
        digest.update(repr(row).encode())
    links = Interview.interviewers.through.objects.filter(interview__in=interviews)
    for row in links.order_by("interview_id", "contact_id").values_list(
        "interview_id", "contact__name"
    ):
        digest.update(repr(row).encode())
    for row in offers.order_by("pk").values_list("pk", "opportunity__company__name"):
        digest.update(repr(row).encode())
    return digest.hexdigest()


def feed(request, token):
    """The secret calendar address: no login (calendar apps can't), only the token.

    It carries the interviews of the last 180 days and every one to come. Calendar apps
    poll it; when nothing changed since their last copy they get a quick 304.
    """
    from .ics import calendar_for

    user = CalendarFeed.user_for(token)
    if user is None:
        raise Http404("No such calendar.")
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    interviews = Interview.objects.owned_by(user).filter(starts_at__gte=since)
    state = interviews.aggregate(
        changed=Max("updated_at"), role=Max("opportunity__updated_at"), n=Count("id")
    )
    from sayyes.offers.models import OPEN_STATUSES, Offer

    offers = (
        Offer.objects.owned_by(user)
        .filter(status__in=OPEN_STATUSES, deadline__gte=since.date())
        .select_related("opportunity__company")
    )
    offer_state = offers.aggregate(changed=Max("updated_at"), n=Count("id"))
    stamps = [d.timestamp() for d in (state["changed"], state["role"], offer_state["changed"]) if d]
    etag = f'"{state["n"]}-{offer_state["n"]}-{max(stamps, default=0)}-{_names_digest(interviews, offers)}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
        response["ETag"] = etag
        return response
    # Rendering a long calendar takes a while; keep the latest copy until something changes.
    key = f"sayyes:feed:{user.pk}:{etag}:{request.get_host()}"
    data = cache.get(key)
    if data is None:
        data = calendar_for(
            interviews.order_by("starts_at"),
            base_url=request.build_absolute_uri("/").rstrip("/"),
            offers=offers.order_by("deadline", "id"),
        )
        cache.set(key, data, timeout=60 * 60)
    response = _ics_response(data, "sayyes.ics")
    response["ETag"] = etag
    return response


@login_required
def interview_ics(request, pk):
    from .ics import calendar_for

    interview = (
        Interview.objects.select_related("opportunity__company")
        .prefetch_related("interviewers")
        .get_for(request.user, pk)
    )
    data = calendar_for([interview], base_url=request.build_absolute_uri("/").rstrip("/"))
    return _ics_response(data, f"interview-{interview.pk}.ics")


@login_required
@require_POST
def calendar_settings(request):
    if request.POST.get("action") == "revoke":
        CalendarFeed.revoke(request.user)
        messages.success(
            request, "The calendar address was turned off; apps subscribed to it get nothing now."
        )
    else:
        raw = CalendarFeed.regenerate(request.user)
        request.session["new_feed"] = request.build_absolute_uri(f"/calendar/{raw}/feed.ics")
        messages.success(request, "A new calendar address was made; any old one stopped working.")
    return redirect("settings")
