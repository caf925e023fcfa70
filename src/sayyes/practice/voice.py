"""Voice answers: store a recording, queue it, transcribe it in the worker, delete it.

Recordings live in the data directory (``DATA_DIR/recordings/<owner id>/<uuid>.<ext>``), under
names the server makes; the name a browser sends is never used. Only the owner can fetch one,
as an attachment. Deleting an answer (or whatever deletes it along) deletes its recording.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sayyes.conf import ConfigError
from sayyes.core.leases import renewing
from sayyes.core.staging import StagedFiles, staged_path
from sayyes.pipeline.models import Opportunity

from . import services
from .models import Answer, AnswerStatus, PracticeSession, Question, recordings_dir
from .speech import MAX_BYTES, AudioError, probe, sniff

log = logging.getLogger(__name__)
CHUNK = 64 * 1024


def recordings_size(user) -> int:
    """Bytes of recordings kept for ``user`` (their folder, staged ones included)."""
    total = 0
    folder = recordings_dir() / str(user.pk)
    for where in (folder, staged_path(folder)):
        if where.is_dir():
            for path in where.iterdir():
                try:
                    total += path.stat().st_size
                except OSError:
                    pass
    return total


def check_recording_quota(user, adding: int) -> None:
    """ValidationError when ``adding`` more bytes would take ``user`` past their quota
    (``SAYYES_RECORDINGS_QUOTA_MB``)."""
    quota = settings.SAYYES_RECORDINGS_QUOTA_MB * 2**20
    used = recordings_size(user)
    if used + adding > quota:
        raise ValidationError(
            {
                "audio": f"Your recordings are full: they take {used / 2**20:,.0f} MB of the "
                f"{quota // 2**20:,} MB you may keep. Delete some voice answers (or ask "
                "whoever runs sayyes to raise SAYYES_RECORDINGS_QUOTA_MB), then record again."
            }
        )


def _copy_and_check(upload, partial, whole: bool) -> tuple[str, str, float]:
    written = 0
    with partial.open("wb") as fh:
        for chunk in upload.chunks(CHUNK):
            written += len(chunk)
            if written > MAX_BYTES:
                raise ValidationError(
                    {"audio": f"A recording has at most {MAX_BYTES // 2**20} MB."}
                )
            fh.write(chunk)
    with partial.open("rb") as fh:
        kind = sniff(fh.read(16))
    if kind is None:
        raise ValidationError(
            {
                "audio": "This file is not a recording sayyes can read (WebM, Ogg, MP4/M4A, "
                "WAV, MP3 or FLAC); its content was checked, not its name."
            }
        )
    try:
        seconds = probe(partial) if whole else 0.0
    except AudioError as exc:
        raise ValidationError({"audio": str(exc)}) from None
    return kind[0], kind[1], seconds


def _write_upload(
    user, upload, staged: StagedFiles, *, whole: bool = True
) -> tuple[str, str, float]:
    """Copy an upload under a fresh name and check it; (name, content type, seconds).

    The copy is written in the staging folder (``staged`` moves it into place when the
    answer's row commits). ``whole=False``: the first chunk of a recording still in
    progress, only sniffed.
    """
    if upload is None:
        raise ValidationError({"audio": "Attach the recording as the file field audio."})
    if upload.size == 0:
        raise ValidationError({"audio": "The recording is empty."})
    if upload.size > MAX_BYTES:
        raise ValidationError({"audio": f"A recording has at most {MAX_BYTES // 2**20} MB."})
    check_recording_quota(user, upload.size)
    stem = uuid.uuid4().hex
    final = recordings_dir() / str(user.pk) / stem
    partial = staged_path(final.with_suffix(".part"))
    partial.parent.mkdir(parents=True, exist_ok=True)
    try:
        ext, content_type, seconds = _copy_and_check(upload, partial, whole)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    final = final.with_suffix(f".{ext}")
    partial.rename(staged.reserve(final))
    return f"{user.pk}/{final.name}", content_type, seconds


STALE_RECORDING = timedelta(minutes=30)


def submit_recording(
    user,
    question: Question,
    upload,
    *,
    session: PracticeSession | None = None,
    opportunity: Opportunity | None = None,
    live: bool = False,
) -> Answer:
    """Store a recorded answer and queue its transcription; the answer is "queued".

    ``live``: the upload is the first chunk of a recording still going on; the answer is
    "recording" and the rest comes through :func:`append_chunk`.
    """
    if not services.visible_questions(user).filter(pk=question.pk).exists():
        raise ValidationError({"question_id": "No such question."})
    if opportunity is not None and opportunity.owner_id != user.pk:
        raise ValidationError({"opportunity_id": "No such opportunity."})
    if session is not None and session.owner_id != user.pk:
        raise ValidationError({"session_id": "No such practice session."})
    if live:  # takes abandoned half-way (the page was closed) go after a while
        for stale in Answer.objects.owned_by(user).filter(
            status=AnswerStatus.RECORDING,
            created_at__lt=timezone.now() - STALE_RECORDING,
        ):
            delete_answer(stale)
    staged = StagedFiles()
    try:
        name, content_type, seconds = _write_upload(user, upload, staged, whole=not live)
        opportunity = (
            opportunity or (session.opportunity if session else None) or question.opportunity
        )
        with transaction.atomic():
            answer = Answer.objects.create(
                owner=user,
                question=question,
                session=session,
                opportunity=opportunity,
                text="",
                audio=name,
                audio_type=content_type,
                duration_seconds=None if live else round(seconds, 2),
                status=AnswerStatus.RECORDING if live else AnswerStatus.QUEUED,
            )
            staged.place_on_commit()  # before queue(): the worker finds the file in place
            if not live:
                transaction.on_commit(lambda: queue(answer))
    except BaseException:
        staged.discard()  # the row was not written
        raise
    return answer


def append_chunk(answer: Answer, upload, *, final: bool) -> Answer:
    """Add the next chunk of a recording in progress; the last one queues the final pass."""
    if answer.status != AnswerStatus.RECORDING:
        raise ValidationError({"audio": "This recording is already complete."})
    path = answer.audio_path
    size = path.stat().st_size if path and path.exists() else 0
    if upload is not None and size + upload.size > MAX_BYTES:
        raise ValidationError({"audio": f"A recording has at most {MAX_BYTES // 2**20} MB."})
    if upload is None and not final:
        raise ValidationError({"audio": "Attach the next chunk as the file field audio."})
    if upload is not None:
        check_recording_quota(answer.owner, upload.size)
    if upload is not None:
        with path.open("ab") as fh:
            for chunk in upload.chunks(CHUNK):
                fh.write(chunk)
    if not final:
        transaction.on_commit(lambda: queue(answer))
        return answer
    try:
        seconds = probe(path)
    except AudioError as exc:
        raise ValidationError({"audio": str(exc)}) from None
    updated = Answer.objects.filter(pk=answer.pk, status=AnswerStatus.RECORDING).update(
        status=AnswerStatus.QUEUED, duration_seconds=round(seconds, 2)
    )
    if updated:
        answer.status, answer.duration_seconds = AnswerStatus.QUEUED, round(seconds, 2)
        transaction.on_commit(lambda: queue(answer))
    return answer


def _advance_live(answer: Answer) -> str:
    """While chunks arrive: transcribe the next finished piece, so little is left at the end."""
    from .speech.report import advance_live, heard_live

    starts: list[int | None] = []
    try:  # from where the previous pass said the rest starts, not the whole recording again
        heard = heard_live(answer.audio_path, answer.live or {}, starts)
    except (AudioError, OSError):
        return AnswerStatus.RECORDING  # too little yet; the next chunk will tell
    try:
        live = advance_live(heard, answer.live or {}, starts=starts)
    except Exception:  # the final pass will try again, and say what went wrong
        log.exception("transcribing a piece of answer %s failed", answer.pk)
        return AnswerStatus.RECORDING
    if live is not answer.live and live != answer.live:
        Answer.objects.filter(pk=answer.pk, status=AnswerStatus.RECORDING).update(live=live)
    return AnswerStatus.RECORDING


def queue(answer: Answer) -> None:
    from .tasks import transcribe_answer

    transcribe_answer.enqueue(answer.pk)


# How long a claim on an answer holds unless renewed (SAYYES_TASK_LEASE, the lease of every
# background task, 10 minutes by default), and how often the worker renews it meanwhile.
LEASE = timedelta(seconds=settings.SAYYES_TASK_LEASE)
RENEW_EVERY = min(60.0, LEASE.total_seconds() / 5)
MAX_ATTEMPTS = 3  # claims cut short before an answer fails (practice/recovery.py)


def process(answer_id: int) -> str:
    """Transcribe one queued answer and give it feedback (run by the worker); its new status.

    Idempotent: only the worker holding the answer's current claim writes its result, so a
    second run, or a run whose claim ran out and was taken up again, changes nothing.
    """
    recording = Answer.objects.filter(pk=answer_id, status=AnswerStatus.RECORDING).first()
    if recording is not None:
        return _advance_live(recording)
    attempt = claim(answer_id)
    if attempt is None:  # deleted, done, or another worker has it
        return "skipped"
    with _lease(answer_id, attempt):
        return transcribe_claimed(answer_id, attempt)


def claim(answer_id: int) -> int | None:
    """Take a queued answer for transcription: the attempt's number, or None if not queued."""
    attempts = (
        Answer.objects.filter(pk=answer_id, status=AnswerStatus.QUEUED)
        .values_list("attempts", flat=True)
        .first()
    )
    if attempts is None:
        return None
    claimed = Answer.objects.filter(
        pk=answer_id, status=AnswerStatus.QUEUED, attempts=attempts
    ).update(
        status=AnswerStatus.TRANSCRIBING,
        attempts=attempts + 1,
        lease_until=timezone.now() + LEASE,
    )
    return attempts + 1 if claimed else None


def _held(answer_id: int, attempt: int):
    """The answer, while this attempt still holds its claim."""
    return Answer.objects.filter(pk=answer_id, status=AnswerStatus.TRANSCRIBING, attempts=attempt)


def _lease(answer_id: int, attempt: int):
    """Renew the claim every RENEW_EVERY seconds while the body runs (a thread of its own)."""
    return renewing(
        lambda: _held(answer_id, attempt).update(lease_until=timezone.now() + LEASE),
        RENEW_EVERY,
        f"sayyes-lease-{answer_id}",
    )


def transcribe_claimed(answer_id: int, attempt: int) -> str:
    """Transcribe an answer this attempt has claimed; its new status ("skipped": claim lost)."""
    answer = _held(answer_id, attempt).select_related("question", "opportunity").first()
    if answer is None:
        return "skipped"
    if answer.audio_path is None or not answer.audio_path.is_file():
        return _fail(answer_id, "The recording is missing from the data directory.", attempt)
    try:
        from .speech import decode
        from .speech.report import Heard, coach, finish_live, tail_of

        # Sent while speaking: only the rest after the last cut is decoded (the passes during
        # the answer kept what the pauses need); else, or if that does not line up, all of it.
        heard = tail_of(answer.audio_path, answer.live or {}) or Heard.whole(
            decode(answer.audio_path)
        )
        transcript = finish_live(heard, answer.live or {})
        feedback = coach(
            transcript,
            heard,
            answer.question.text,
            posting_text=answer.opportunity.posting_text if answer.opportunity else None,
            talking_points=answer.question.talking_points or None,
            question_type=services.question_type(answer.question),
        )
        if not transcript.text.strip() and transcript.unclear:
            raise AudioError(
                "None of the recording could be understood (noise, or speech too fast or too "
                "quiet). Try again closer to the microphone, somewhere quieter."
            )
        if not transcript.text.strip():
            raise AudioError("No speech was found in the recording. Check your microphone.")
    except AudioError as exc:
        return _fail(answer_id, str(exc), attempt)
    except ConfigError as exc:
        return _fail(answer_id, f"The speech model is not available: {exc}", attempt)
    except Exception:
        log.exception("transcribing answer %s failed", answer_id)
        return _fail(answer_id, "Transcription failed unexpectedly. Try recording again.", attempt)
    with transaction.atomic():
        # Ends the claim, and (a write) locks the row first, so one attempt only completes it.
        if not _held(answer_id, attempt).update(lease_until=None):
            return "skipped"  # the claim ran out and was taken up again
        services.complete_answer(answer, transcript.text, feedback)
        kept = {k: v for k, v in (answer.live or {}).items() if k not in ("levels", "tail")}
        if kept != (answer.live or {}):  # only the final pass needed them (32 kB in 2 min)
            Answer.objects.filter(pk=answer_id).update(live=kept)
    return AnswerStatus.DONE


def _fail(answer_id: int, message: str, attempt: int) -> str:
    if not _held(answer_id, attempt).update(
        status=AnswerStatus.FAILED, error=message, lease_until=None
    ):
        return "skipped"
    return AnswerStatus.FAILED


@transaction.atomic
def delete_answer(answer: Answer) -> None:
    answer.delete()  # the recording goes after the commit (see below)
