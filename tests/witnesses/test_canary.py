"""The leak test that matters most: protected witnesses and victims whose identities carry unique markers,
then every page, every download and every history view — as every role but the liaison and the victim
services officer, and anonymously — crawled by following the links the pages offer. No marker may appear
anywhere, nor in the logs."""

from __future__ import annotations

import contextlib
import io
import logging
import re
from collections import deque
from html import unescape
from typing import Any
from urllib.parse import urldefrag, urlsplit

import openpyxl
import pytest
from cryptography.fernet import Fernet
from django.test import Client
from django.urls import NoReverseMatch, reverse

from core.models import User
from core.registry import nav_for
from documents.choices import DocumentType
from prosecutions import services as prosecution_services
from tests.documents.factories import attach, sample_pdf, sample_png
from tests.factories import UserFactory
from tests.prosecutions.factories import charged_case
from tests.victims.factories import identified
from tests.witnesses.factories import admitted, court_measures, days_ago, victim_of, with_identity, witness_on
from victims import services as victim_services
from witnesses import services
from witnesses.choices import WitnessRole

pytestmark = pytest.mark.django_db

MARK = "CANARY"
PAGE_CAP = 160
HREF = re.compile(r'href="([^"]+)"')
SKIP = ("/accounts/logout", "/admin/logout", "/static/", "/media/", "/accounts/password")


@pytest.fixture
def scene(prosecutor, liaison, victim_services_officer) -> dict[str, Any]:
    """Three protected witnesses with marked identities on a case with hearings this week, their identities
    corrected and read once (so history tabs, the audit log and the access log have something to show)."""
    case = charged_case(prosecutor, title="Republic v. Juma Said")
    prosecution_services.record_hearing(case, prosecutor, date=days_ago(-2), purpose="hearing")
    victim = victim_of(case)
    victim_witness = admitted(witness_on(case, role=WitnessRole.VICTIM_WITNESS, number="PW1", victim=victim), liaison)
    court_measures(victim_witness, liaison)
    eyewitness = witness_on(case, number="PW2")
    services.request_protection(eyewitness, prosecutor, reason="Threatened at the market.")
    officer = admitted(witness_on(case, liaison, role=WitnessRole.POLICE_OFFICER, number="PW3"), liaison)
    witnesses = [victim_witness, eyewitness, officer]
    for n, witness in enumerate(witnesses):
        with_identity(witness, liaison, f"W{n}")
        services.save_identity(witness, liaison, address=f"Plot 2 CANARYW{n}MOVED Road", reason="Moved house")
        services.reveal_identity(witness, liaison, "Arranging transport to court")
    # Papers: a witness's marked statement and identity document (liaisons only), and a case paper.
    papers = [
        attach(
            victim_witness,
            liaison,
            DocumentType.WITNESS_STATEMENT,
            title="Statement of CANARYW0NAME",
            content=sample_pdf("Statement of Zuhura CANARYW0NAME Wairimu"),
        ),
        attach(
            victim_witness,
            liaison,
            DocumentType.IDENTITY_DOCUMENT,
            title="ID of CANARYW0ID",
            content=sample_png("CANARYW0ID"),
            name="CANARYW0ID.png",
        ),
    ]
    charge_sheet = attach(case, prosecutor, DocumentType.CHARGE_SHEET, title="Charge sheet")
    # Victims: the one on the case and one identified by the NRM with no case, names in the victims' vault.
    victims = [victim, identified(victim_services_officer)]
    for n, marked in enumerate(victims):
        victim_services.save_victim_identity(
            marked, victim_services_officer, full_name=f"Amani CANARYV{n}NAME", phone=f"+254 7 CANARYV{n}PHONE"
        )
        victim_services.save_victim_identity(
            marked, victim_services_officer, address=f"CANARYV{n}SHELTER", reason="Moved to a shelter"
        )
        victim_services.reveal_victim_identity(marked, victim_services_officer, "Arranging a shelter placement")
    return {"case": case, "witnesses": witnesses, "victims": victims, "papers": papers, "case_paper": charge_sheet}


def _seeds(user: User | None, scene: dict[str, Any]) -> list[str]:
    case = scene["case"]
    urls = ["/"]
    if user is not None and user.is_authenticated:
        urls += [item.url for item in nav_for(user)]
    for name in (
        "witnesses:witness_list",
        "prosecutions:hearing_list",
        "core:audit_log",
        "prosecutions:case_list",
        "victims:victim_list",
    ):
        with contextlib.suppress(NoReverseMatch):
            urls.append(reverse(name))
    for paper in [*scene.get("papers", []), scene["case_paper"]]:  # documents and their downloads
        urls += [paper.get_absolute_url(), paper.download_url, f"{paper.get_absolute_url()}?tab=history"]
    for tab in ("overview", "hearings", "witnesses", "victims", "timeline", "history", "documents"):
        urls.append(f"{case.get_absolute_url()}?tab={tab}")
    for witness in scene["witnesses"]:
        for tab in ("overview", "protection", "identity", "history"):
            urls.append(f"{witness.get_absolute_url()}?tab={tab}")
    for victim in scene.get("victims", []):
        for tab in ("overview", "identity", "history"):
            urls.append(f"{victim.get_absolute_url()}?tab={tab}")
    urls.append(reverse("victims:victim_list") + "?export=xlsx")
    urls.append(reverse("witnesses:witness_list") + "?export=xlsx")
    urls.append(reverse("prosecutions:hearing_list") + "?export=xlsx")
    urls.append(reverse("core:audit_log") + "?export=xlsx")
    return urls


def _workbook_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        " ".join("" if value is None else str(value) for value in row)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def crawl(client: Client, seeds: list[str], *, admin: bool = False) -> dict[str, int]:
    """Visit the seeds and every same-site link they lead to (GET only), up to ``PAGE_CAP`` pages. Returns
    the status of each page visited; fails on the first page or workbook holding a marker."""
    seen: dict[str, int] = {}
    queue = deque(seeds)
    while queue and len(seen) < PAGE_CAP:
        url = urldefrag(unescape(queue.popleft()))[0]
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not url.startswith("/") or url in seen:
            continue
        if any(url.startswith(prefix) for prefix in SKIP) or (admin and not url.startswith("/admin/")):
            continue
        response = client.get(url)
        seen[url] = response.status_code
        assert response.status_code != 500, url
        body = response.getvalue()
        if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
            assert MARK not in _workbook_text(body), f"marker in the workbook {url}"
            continue
        text = body.decode("utf-8", errors="replace")
        assert MARK not in text, f"marker on {url}"
        assert "gAAAA" not in text, f"ciphertext on {url}"
        if response.status_code == 200:
            queue.extend(HREF.findall(text))
        elif response.status_code in (301, 302) and response.get("Location", "").startswith("/"):
            queue.append(response["Location"])
    return seen


PERSONAS = ["prosecutor", "other_prosecutor", "unit_head", "auditor", "fund_admin", "fund_approver", "stranger"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_or_download_shows_an_identity_to(client: Client, scene, persona, request) -> None:
    user = request.getfixturevalue(persona)
    client.force_login(user)
    seen = crawl(client, _seeds(user, scene))
    if persona in ("prosecutor", "other_prosecutor", "unit_head", "auditor"):
        for witness in scene["witnesses"]:
            assert seen.get(f"{witness.get_absolute_url()}?tab=history") == 200
            assert seen.get(f"{witness.get_absolute_url()}?tab=protection") == 200
        assert seen.get(f"{scene['case'].get_absolute_url()}?tab=witnesses") == 200
        assert seen.get(f"{scene['case'].get_absolute_url()}?tab=documents") == 200
        assert seen.get(scene["case_paper"].download_url) == 200
        for paper in scene["papers"]:
            assert seen.get(paper.download_url) == 403
        assert seen.get(reverse("witnesses:witness_list") + "?export=xlsx") == 200
    if persona == "auditor":
        assert seen.get(reverse("core:audit_log")) == 200
    assert len(seen) > 5


def test_no_page_shows_an_identity_anonymously(client: Client, scene) -> None:
    seen = crawl(client, _seeds(None, scene))
    assert all(status in (200, 302, 403, 404) for status in seen.values())


def test_no_admin_page_shows_an_identity_to_a_superuser(client: Client, scene) -> None:
    boss = UserFactory.create(username="root", is_superuser=True, is_staff=True)
    client.force_login(boss)
    seen = crawl(client, ["/admin/", "/admin/witnesses/witness/", *_seeds(boss, scene)], admin=True)
    assert seen.get("/admin/witnesses/witness/") == 200
    assert any(url.startswith("/admin/witnesses/witness/") and url.endswith("/change/") for url in seen)
    # Outside the admin, a superuser with no role sees no witness page and no vault.
    client_pages = [f"{w.get_absolute_url()}?tab=identity" for w in scene["witnesses"]]
    for url in client_pages:
        assert client.get(url).status_code == 403


def test_the_markers_are_real_the_liaison_can_reveal_them(client: Client, scene, liaison) -> None:
    """Guards the crawl itself: the markers are in the vault, and the reveal page shows them."""
    client.force_login(liaison)
    witness = scene["witnesses"][0]
    response = client.post(reverse("witnesses:identity_reveal", args=[witness.pk]), {"purpose": "Canary self-check"})
    assert MARK in response.content.decode()


def test_logs_hold_no_marker_during_reveals_and_errors(client: Client, scene, liaison, settings, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    client.force_login(liaison)
    witness = scene["witnesses"][0]
    url = reverse("witnesses:identity_reveal", args=[witness.pk])
    assert client.post(url, {"purpose": "Reading before the hearing"}).status_code == 200
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    response = client.post(url, {"purpose": "Reading before the hearing"})
    assert response.status_code == 200 and "cannot be decrypted" in response.content.decode()
    assert client.get(f"{witness.get_absolute_url()}?tab=identity").status_code == 200
    assert caplog.records
    assert MARK not in caplog.text and "gAAAA" not in caplog.text


def test_the_victim_markers_are_real_the_officer_can_reveal_them(
    client: Client, scene, victim_services_officer
) -> None:
    """Guards the crawl for victims: the markers are in the victims' vault, and its reveal page shows them."""
    client.force_login(victim_services_officer)
    for victim in scene["victims"]:
        url = reverse("victims:identity_reveal", args=[victim.pk])
        assert MARK in client.post(url, {"purpose": "Canary self-check"}).content.decode()
    page = client.get(f"{scene['victims'][0].get_absolute_url()}?tab=identity").content.decode()
    assert MARK not in page and "Arranging a shelter placement" in page
