from django.urls import path

from sayyes.accounts import views as accounts
from sayyes.agenda import views as agenda
from sayyes.api import api
from sayyes.invitations import views as invitations
from sayyes.journal import views as journal
from sayyes.network import views as network
from sayyes.offers import views as offers
from sayyes.pipeline import views as pipeline
from sayyes.portability import views as portability
from sayyes.practice import views as practice
from sayyes.practice.mocks import views as mocks
from sayyes.triage import views as triage

urlpatterns = [
    path("healthz", pipeline.healthz, name="healthz"),
    path("", agenda.dashboard, name="dashboard"),
    path("board/", pipeline.board, name="board"),
    path("opportunities/", pipeline.opportunity_list, name="opportunity_list"),
    path("opportunities/new/", pipeline.opportunity_new, name="opportunity_new"),
    path("opportunities/<int:pk>/", pipeline.opportunity_detail, name="opportunity_detail"),
    path("opportunities/<int:pk>/edit/", pipeline.opportunity_edit, name="opportunity_edit"),
    path("opportunities/<int:pk>/delete/", pipeline.opportunity_delete, name="opportunity_delete"),
    path("opportunities/<int:pk>/status/", pipeline.opportunity_status, name="opportunity_status"),
    path("interviews/", pipeline.interview_list, name="interview_list"),
    path("interviews/new/", pipeline.interview_new, name="interview_new"),
    path("interviews/<int:pk>/edit/", pipeline.interview_edit, name="interview_edit"),
    path("interviews/<int:pk>/delete/", pipeline.interview_delete, name="interview_delete"),
    path("practice/", practice.home, name="practice_home"),
    path("practice/start/", practice.start, name="practice_start"),
    path("practice/sessions/<int:pk>/", practice.session_page, name="practice_session"),
    path("practice/sessions/<int:pk>/next/", practice.session_next, name="practice_next"),
    path("practice/answers/<int:pk>/rate/", practice.answer_rate, name="answer_rate"),
    path("practice/answers/<int:pk>/audio", practice.answer_audio, name="answer_audio"),
    path("practice/questions/", practice.question_list, name="question_list"),
    path("practice/questions/new/", practice.question_new, name="question_new"),
    path("practice/questions/<int:pk>/", practice.question_detail, name="question_detail"),
    path("practice/questions/<int:pk>/edit/", practice.question_edit, name="question_edit"),
    path("practice/questions/<int:pk>/delete/", practice.question_delete, name="question_delete"),
    path("practice/questions/<int:pk>/asked/", practice.question_asked, name="question_asked"),
    path("practice/mocks/new/", mocks.mock_new, name="mock_new"),
    path("practice/mocks/<int:pk>/", mocks.mock_page, name="mock_page"),
    path("practice/mocks/<int:pk>/report/", mocks.mock_report, name="mock_report"),
    path("practice/mocks/<int:pk>/delete/", mocks.mock_delete, name="mock_delete"),
    path("contacts/", network.contact_list, name="contact_list"),
    path("contacts/new/", network.contact_new, name="contact_new"),
    path("contacts/import/", network.contact_import, name="contact_import"),
    path("contacts/export.vcf", network.contact_export, name="contact_export"),
    path("contacts/<int:pk>/", network.contact_detail, name="contact_detail"),
    path("contacts/<int:pk>/edit/", network.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", network.contact_delete, name="contact_delete"),
    path("contacts/<int:pk>/interactions/", network.interaction_add, name="interaction_add"),
    path("contacts/<int:pk>/followups/", network.followup_add, name="followup_add"),
    path("followups/<int:pk>/done/", network.followup_done, name="followup_done"),
    path("followups/<int:pk>/thank-you/", network.thank_you, name="thank_you"),
    path("agenda/", agenda.agenda, name="agenda"),
    path("interviews/<int:pk>/calendar.ics", agenda.interview_ics, name="interview_ics"),
    path("interviews/<int:pk>/done/", agenda.interview_mark_done, name="interview_mark_done"),
    path("interviews/<int:pk>/undo-done/", agenda.interview_undo_done, name="interview_undo_done"),
    path("calendar/<str:token>/feed.ics", agenda.feed, name="calendar_feed"),
    path("settings/calendar/", agenda.calendar_settings, name="calendar_settings"),
    path("interviews/<int:pk>/debrief/", journal.debrief, name="debrief"),
    path(
        "interviews/<int:pk>/questions-to-ask/", journal.questions_to_ask, name="interview_to_ask"
    ),
    path("companies/", journal.company_list, name="company_list"),
    path("companies/names/", pipeline.company_names, name="company_names"),
    path("companies/compare/", journal.company_compare, name="company_compare"),
    path("companies/<int:pk>/", journal.company_detail, name="company_detail"),
    path("insights/", journal.insights, name="insights"),
    path("login/", accounts.login_view, name="login"),
    path("login/link/<str:token>/", accounts.link_login, name="link_login"),
    path("logout/", accounts.logout_view, name="logout"),
    path("signup/", accounts.signup, name="signup"),
    path("settings/", accounts.settings_view, name="settings"),
    path("settings/password/", accounts.password_change, name="password_change"),
    path("settings/timezone/", accounts.timezone_confirm, name="timezone_confirm"),
    path("settings/tokens/", accounts.token_create, name="token_create"),
    path("settings/tokens/<int:pk>/revoke/", accounts.token_revoke, name="token_revoke"),
    # Say yes (issue 8): the interview's prep page, its triage, the checklist, deal-breakers.
    path("interviews/<int:pk>/", triage.prep, name="interview_detail"),
    path("interviews/<int:pk>/triage/", triage.triage_page, name="interview_triage"),
    path("interviews/<int:pk>/checklist/", triage.checklist_add, name="checklist_add"),
    path("checklist/<int:pk>/toggle/", triage.checklist_toggle, name="checklist_toggle"),
    path("settings/deal-breakers/", triage.deal_breakers, name="deal_breakers"),
    path("offers/", offers.offer_list, name="offer_list"),
    path("offers/new/", offers.offer_new, name="offer_new"),
    path("offers/compare/", offers.offer_compare, name="offer_compare"),
    path("offers/rates/", offers.rate_list, name="rate_list"),
    path("offers/rates/<int:pk>/delete/", offers.rate_delete, name="rate_delete"),
    path("offers/<int:pk>/", offers.offer_detail, name="offer_detail"),
    path("offers/<int:pk>/edit/", offers.offer_edit, name="offer_edit"),
    path("offers/<int:pk>/delete/", offers.offer_delete, name="offer_delete"),
    path("offers/<int:pk>/negotiation/", offers.offer_negotiation, name="offer_negotiation"),
    path("offers/<int:pk>/rounds/", offers.round_add, name="round_add"),
    path("offers/<int:pk>/ratings/", offers.offer_ratings, name="offer_ratings"),
    path("settings/archive.zip", portability.archive_download, name="archive_download"),
    path("settings/archive/import/", portability.archive_import, name="archive_import"),
    path("settings/delete-account/", portability.account_delete, name="account_delete"),
    path(
        "settings/bookmarklet/",
        portability.bookmarklet_key_rotate,
        name="bookmarklet_key_rotate",
    ),
    path("opportunities/import/", portability.sheet_import, name="sheet_import"),
    path("opportunities/import/posting/", portability.posting_import, name="posting_import"),
    path(
        "opportunities/import/posting/drop/<str:token>/",
        portability.posting_drop,
        name="posting_drop",
    ),
    # Invitations (issue 20): drop or paste an invitation; your addresses and watched mailbox.
    path("interviews/invitation/", invitations.invitation_new, name="invitation_new"),
    path("settings/invitations/", invitations.invitation_settings, name="invitation_settings"),
    path("settings/invitations/mailbox/check/", invitations.mailbox_check, name="mailbox_check"),
    path("settings/invitations/mailbox/remove/", invitations.mailbox_remove, name="mailbox_remove"),
    path("api/v1/", api.urls),
]

handler404 = "sayyes.errors.not_found"
handler500 = "sayyes.errors.server_error"
handler403 = "sayyes.errors.forbidden"
handler400 = "sayyes.errors.bad_request"
