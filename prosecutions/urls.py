from django.urls import path, re_path

from core.views.reports import report_view
from prosecutions.views import actions, cases, corrections, hearings, persons
from prosecutions.views import print as case_print

app_name = "prosecutions"

urlpatterns = [
    path("", cases.CaseListView.as_view(), name="case_list"),
    path("mine/", cases.MyCasesView.as_view(), name="my_cases"),
    path("new/", actions.CaseOpenView.as_view(), name="case_create"),
    path("hearings/", hearings.HearingListView.as_view(), name="hearing_list"),
    path("hearings/calendar-feed/", hearings.CalendarFeedView.as_view(), name="calendar_feed"),
    path("reports/tip-statistics/", report_view("tip_statistics"), name="tip_statistics"),
    path("reports/performance/", report_view("performance"), name="performance"),
    path("reports/network-roles/", report_view("network_roles"), name="network_roles"),
    # The index of persons (docs: README, "Persons").
    path("persons/", persons.PersonListView.as_view(), name="person_list"),
    path("persons/duplicates/", persons.PersonDuplicatesView.as_view(), name="person_duplicates"),
    path("persons/<int:pk>/", persons.PersonDetailView.as_view(), name="person_detail"),
    path("persons/<int:pk>/merge/", persons.PersonMergeView.as_view(), name="person_merge"),
    path("persons/merges/<int:pk>/undo/", persons.MergeUndoView.as_view(), name="merge_undo"),
    path("<int:pk>/", cases.CaseDetailView.as_view(), name="case_detail"),
    path("<int:pk>/print/", case_print.CaseFilePrintView.as_view(), name="case_print"),
    path("<int:pk>/edit/", actions.CaseEditView.as_view(), name="case_edit"),
    path("<int:pk>/stage/", actions.StageMoveView.as_view(), name="case_stage"),
    path("<int:pk>/reopen/", actions.ReopenView.as_view(), name="case_reopen"),
    path("<int:pk>/convict-on-own-plea/", actions.OwnPleaView.as_view(), name="case_own_plea"),
    path("<int:pk>/team/", actions.TeamView.as_view(), name="case_team"),
    path("<int:pk>/accused/new/", actions.AccusedCreateView.as_view(), name="accused_create"),
    path("<int:pk>/accused/<int:accused_pk>/edit/", actions.AccusedEditView.as_view(), name="accused_edit"),
    path("<int:pk>/accused/<int:accused_pk>/counts/new/", actions.ChargeCreateView.as_view(), name="charge_create"),
    path("<int:pk>/counts/<int:charge_pk>/plea/", actions.PleaView.as_view(), name="charge_plea"),
    path("<int:pk>/counts/<int:charge_pk>/outcome/", actions.DispositionView.as_view(), name="charge_disposition"),
    path("<int:pk>/counts/<int:charge_pk>/sentence/", actions.SentenceView.as_view(), name="charge_sentence"),
    path("<int:pk>/victims/new/", actions.VictimCreateView.as_view(), name="victim_create"),
    path("<int:pk>/hearings/new/", actions.HearingCreateView.as_view(), name="hearing_create"),
    path("<int:pk>/hearings/<int:hearing_pk>/outcome/", actions.HearingOutcomeView.as_view(), name="hearing_outcome"),
    # Corrections of recorded facts, with a reason (docs/corrections.md).
    path(
        "<int:pk>/counts/<int:charge_pk>/plea/correct/", corrections.PleaCorrectionView.as_view(), name="correct_plea"
    ),
    path(
        "<int:pk>/counts/<int:charge_pk>/outcome/correct/",
        corrections.OutcomeCorrectionView.as_view(),
        name="correct_outcome",
    ),
    path(
        "<int:pk>/counts/<int:charge_pk>/sentence/correct/",
        corrections.SentenceCorrectionView.as_view(),
        name="correct_sentence",
    ),
    path(
        "<int:pk>/hearings/<int:hearing_pk>/correct/",
        corrections.HearingCorrectionView.as_view(),
        name="correct_hearing",
    ),
    path(
        "<int:pk>/accused/<int:accused_pk>/correct/",
        corrections.AccusedCorrectionView.as_view(),
        name="correct_accused",
    ),
]

# The personal calendar feed's secret address, outside the app's namespace (``config/urls.py`` mounts it at
# /calendar/): ``calendar_feed_ics``.
feed_urlpatterns = [
    re_path(
        r"^(?P<token>[A-Za-z0-9_-]{1,100})\.ics$", hearings.CalendarFeedFileView.as_view(), name="calendar_feed_ics"
    ),
]
