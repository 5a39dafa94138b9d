"""The pages for every role: the register, the witness page and its tabs, the forms, the reveal page."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from tests.factories import UserFactory
from tests.witnesses.factories import days_ago, markers, with_identity
from witnesses.models import IdentityAccess

pytestmark = pytest.mark.django_db

READERS = ["prosecutor", "other_prosecutor", "unit_head", "liaison", "auditor"]


def detail(witness, tab: str = "") -> str:
    return reverse("witnesses:witness_detail", args=[witness.pk]) + (f"?tab={tab}" if tab else "")


@pytest.mark.parametrize("persona", READERS)
def test_reading_roles_see_the_register_and_the_witness_page(client: Client, witness, persona, request) -> None:
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("witnesses:witness_list"))
    assert response.status_code == 200 and witness.code in response.content.decode()
    for tab in ("overview", "protection", "history"):
        assert client.get(detail(witness, tab)).status_code == 200


def test_a_prosecutor_does_not_see_witnesses_of_no_case_and_gets_404(client: Client, prosecutor, liaison) -> None:
    from witnesses import services
    from witnesses.models import Witness

    # A witness on no case at all is seen by liaisons only.
    orphan = Witness(code="W-2026-9999")
    orphan.save_as(liaison)
    client.force_login(prosecutor)
    assert client.get(detail(orphan)).status_code == 404
    assert orphan.code not in client.get(reverse("witnesses:witness_list")).content.decode()
    assert services  # imported for the side effect of app loading


@pytest.mark.parametrize("persona", ["prosecutor", "unit_head", "auditor", "fund_admin", "stranger"])
def test_only_the_liaison_has_an_identity_tab_and_reveal_page(
    client: Client, protected, liaison, persona, request
) -> None:
    with_identity(protected, liaison, "TAB")
    client.force_login(request.getfixturevalue(persona))
    page = client.get(detail(protected))
    assert 'data-tab="identity"' not in page.content.decode()
    if page.status_code == 200:
        assert client.get(detail(protected, "identity")).context["active_tab"].slug != "identity"
    reveal = reverse("witnesses:identity_reveal", args=[protected.pk])
    assert client.get(reverse("witnesses:identity_edit", args=[protected.pk])).status_code == 403
    assert client.post(reveal, {"purpose": "Trying to read the identity"}).status_code == 403
    assert not IdentityAccess.objects.exists()


def test_a_superuser_is_refused_the_vault(client: Client, protected, liaison) -> None:
    with_identity(protected, liaison, "SUP")
    boss = UserFactory.create(username="root", is_superuser=True, is_staff=True)
    client.force_login(boss)
    assert client.get(detail(protected)).status_code == 403
    assert (
        client.post(reverse("witnesses:identity_reveal", args=[protected.pk]), {"purpose": "Admin look"}).status_code
        == 403
    )


def test_the_liaison_reveals_with_a_purpose_on_an_uncached_page_and_sees_the_log(
    client: Client, protected, liaison
) -> None:
    with_identity(protected, liaison, "REV")
    client.force_login(liaison)
    tab = client.get(detail(protected, "identity"))
    assert tab.status_code == 200 and "no-store" in tab["Cache-Control"]
    assert "CANARY" not in tab.content.decode()

    response = client.post(
        reverse("witnesses:identity_reveal", args=[protected.pk]), {"purpose": "Preparing the witness for trial"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert markers("REV")["full_name"] in body and markers("REV")["next_of_kin"] in body
    assert "no-store" in response["Cache-Control"]
    assert IdentityAccess.objects.filter(witness=protected, accessed_by=liaison).count() == 1
    session = client.session
    assert "CANARY" not in repr(dict(session.items()))
    assert "CANARY" not in "".join(str(m) for m in response.context["messages"])

    log = client.get(detail(protected, "identity")).content.decode()
    assert "Preparing the witness for trial" in log and "CANARY" not in log


def test_a_reveal_without_purpose_is_refused_on_the_form(client: Client, protected, liaison) -> None:
    with_identity(protected, liaison, "NOPUR")
    client.force_login(liaison)
    response = client.post(reverse("witnesses:identity_reveal", args=[protected.pk]), {"purpose": ""})
    assert response.status_code == 200 and "CANARY" not in response.content.decode()
    assert response.context["form"].errors["purpose"]
    response = client.post(reverse("witnesses:identity_reveal", args=[protected.pk]), {"purpose": "short"})
    assert "State the purpose" in response.content.decode()
    assert not IdentityAccess.objects.exists()


def test_a_wrong_key_shows_a_clear_message_not_a_crash(client: Client, protected, liaison, settings) -> None:
    with_identity(protected, liaison, "KEY")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    client.force_login(liaison)
    tab = client.get(detail(protected, "identity"))
    assert tab.status_code == 200
    assert "cannot be decrypted with the configured keys" in tab.content.decode()
    response = client.post(reverse("witnesses:identity_reveal", args=[protected.pk]), {"purpose": "Checking it opens"})
    assert response.status_code == 200
    assert "cannot be decrypted with the configured keys" in response.content.decode()
    assert "CANARY" not in response.content.decode()


def test_a_missing_key_shows_a_clear_message(client: Client, protected, liaison, settings) -> None:
    with_identity(protected, liaison, "NOKEY")
    settings.FIELD_ENCRYPTION_KEYS = []
    client.force_login(liaison)
    tab = client.get(detail(protected, "identity"))
    assert tab.status_code == 200 and "No encryption key is configured" in tab.content.decode()


def test_the_liaison_enters_the_identity_through_the_form(client: Client, protected, liaison) -> None:
    client.force_login(liaison)
    url = reverse("witnesses:identity_edit", args=[protected.pk])
    form = client.get(url)
    assert form.status_code == 200 and "no-store" in form["Cache-Control"]
    response = client.post(url, {**markers("FORM"), "reason": ""}, follow=True)
    assert response.status_code == 200
    assert "CANARY" not in response.content.decode()
    assert "CANARY" not in repr(dict(client.session.items()))
    # The correction form is never pre-filled with the stored values.
    assert "CANARY" not in client.get(url).content.decode()


def test_the_prosecutor_requests_protection_through_the_page(client: Client, witness, prosecutor) -> None:
    client.force_login(prosecutor)
    page = client.get(detail(witness)).content.decode()
    assert 'data-testid="request-protection"' in page
    response = client.post(reverse("witnesses:witness_request", args=[witness.pk]), {"reason": "Threatened at home."})
    assert response.status_code == 302
    witness.refresh_from_db()
    assert witness.protection_status == "flagged"


def test_the_liaison_home_page_shows_the_queue_of_flags(client: Client, witness, prosecutor, liaison) -> None:
    from witnesses import services

    services.request_protection(witness, prosecutor, reason="Threatened at home.")
    client.force_login(liaison)
    body = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="flag-queue"' in body and witness.code in body


def test_the_case_page_has_a_witnesses_tab_with_codes_and_measures(client: Client, case, protected, prosecutor) -> None:
    client.force_login(prosecutor)
    body = client.get(case.get_absolute_url() + "?tab=witnesses").content.decode()
    assert protected.code in body and "screen, voice distortion" in body
    timeline = client.get(case.get_absolute_url() + "?tab=timeline").content.decode()
    assert f"{protected.code}: protection" in timeline


def test_the_liaison_ends_a_measure_through_the_page(client: Client, protected, liaison) -> None:
    client.force_login(liaison)
    measure = protected.measures.first()
    response = client.post(
        reverse("witnesses:measure_end", args=[measure.pk]),
        {"ends_on": days_ago(1).isoformat(), "reason": "Testimony done."},
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.status == "ended"


def test_the_history_tab_keeps_the_reasons_for_protection_from_prosecutors(
    client: Client, protected, prosecutor, liaison
) -> None:
    """The Protection tab shows why a witness is at risk to liaisons and auditors only; so does History."""
    reason = escape("Threatened by the accused's relatives.")
    client.force_login(liaison)
    assert reason in client.get(protected.get_absolute_url(), {"tab": "history"}).content.decode()
    client.force_login(prosecutor)
    body = client.get(protected.get_absolute_url(), {"tab": "history"}).content.decode()
    assert protected.code in body
    assert reason not in body and "Admitted by the Director." not in body


def test_error_reports_never_carry_what_was_typed_into_the_vault(client: Client, protected, liaison) -> None:
    """The identity and reveal forms mark every POST value sensitive, so a crash report shows none of it."""
    client.force_login(liaison)
    for name, data in (
        ("witnesses:identity_edit", {"full_name": "CANARY NAME"}),
        ("witnesses:identity_reveal", {"purpose": "Preparing the witness for trial"}),
    ):
        response = client.post(reverse(name, args=[protected.pk]), data)
        assert response.wsgi_request.sensitive_post_parameters == "__ALL__", name  # type: ignore[attr-defined]
