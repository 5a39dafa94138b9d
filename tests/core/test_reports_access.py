"""Who may open each report, its download and the Reports index.

Prosecution reports: prosecutors, the unit head and auditors. Asset recovery: those and the fund's
officers (the report feeds the fund; they see case numbers and titles only). Nobody else: 403.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.models import User

pytestmark = pytest.mark.django_db

PROSECUTION_REPORTS = ("prosecutions:tip_statistics", "prosecutions:performance", "prosecutions:network_roles")
ALL_REPORTS = (*PROSECUTION_REPORTS, "assets:recovery")
READERS = {
    "prosecutions:tip_statistics": {"prosecutor", "unit_head", "auditor", "multi_role"},
    "prosecutions:performance": {"prosecutor", "unit_head", "auditor", "multi_role"},
    "prosecutions:network_roles": {"prosecutor", "unit_head", "auditor", "multi_role"},
    "assets:recovery": {"prosecutor", "unit_head", "auditor", "multi_role", "fund_admin", "fund_approver"},
}
PERSONAS = ("prosecutor", "unit_head", "auditor", "multi_role", "fund_admin", "fund_approver", "liaison", "stranger")


@pytest.mark.parametrize("url_name", ALL_REPORTS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_report_opens_only_for_its_readers(
    client: Client, request: pytest.FixtureRequest, persona: str, url_name: str
) -> None:
    user = request.getfixturevalue(persona)
    client.force_login(user)
    allowed = persona in READERS[url_name]
    page = client.get(reverse(url_name))
    download = client.get(reverse(url_name), {"export": "xlsx"})
    assert page.status_code == (200 if allowed else 403)
    assert download.status_code == (200 if allowed else 403)
    if not allowed:
        assert "Download Excel" not in page.content.decode()


@pytest.mark.parametrize("url_name", [*ALL_REPORTS, "core:report_index"])
def test_anonymous_visitors_are_sent_to_sign_in(client: Client, url_name: str) -> None:
    response = client.get(reverse(url_name), {"export": "xlsx"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("prosecutor", {"TIP statistics", "ODPP performance", "Organisers versus small fish", "Asset recovery"}),
        ("auditor", {"TIP statistics", "ODPP performance", "Organisers versus small fish", "Asset recovery"}),
        ("fund_admin", {"Asset recovery"}),
    ],
)
def test_the_index_and_the_home_panel_list_the_reports_the_user_may_read(
    client: Client, request: pytest.FixtureRequest, persona: str, expected: set[str]
) -> None:
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("core:report_index"))
    assert response.status_code == 200
    listed = {report.title for report in response.context["reports"]}
    # Other apps (the trust fund) add their own reports; these are the ones this test knows of.
    known = {"TIP statistics", "ODPP performance", "Organisers versus small fish", "Asset recovery"}
    assert listed & known == expected
    assert 'data-section="reports"' in response.content.decode()
    home = client.get(reverse("core:home")).content.decode()
    assert 'data-panel="reports"' in home


@pytest.mark.parametrize("persona", ["liaison", "stranger"])
def test_users_with_no_report_get_403_on_the_index_and_no_menu_item(
    client: Client, request: pytest.FixtureRequest, persona: str
) -> None:
    user: User = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(reverse("core:report_index")).status_code == 403
    home = client.get(reverse("core:home")).content.decode()
    assert 'data-section="reports"' not in home and 'data-panel="reports"' not in home
