"""Every URL × every role, generated: each page answers as its view declares (``page_access``).

For every named URL of the tracker this test signs in as a user holding each single role, as a user
holding none, and as nobody, and asks for the page for a record within the user's reach (on a case the
prosecutor leads) and for one outside it (on a case someone else leads). It compares what comes back
with the view's own declaration (``core.access.PageAccess``): 200, 403, 404, or the sign-in redirect.
A refused page shows nothing that names the record; refused users who POST are refused the same way;
list pages refuse or serve their Excel download (a real workbook) exactly as they serve the page.

A new URL fails this test until its view declares ``page_access`` and ``ROUTE_ARGS`` below names the
records it is asked for (see docs/adding-a-module.md).
"""

from __future__ import annotations

import datetime as dt
import io
import secrets
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from assets.models import CourtOrder
from core.access import PageAccess
from core.grants import services as grant_services
from core.models import User
from core.roles import Role
from core.views.generic import EXPORT_PARAM, FilteredListView
from prosecutions import services as prosecution_services
from prosecutions.models import Accused, CalendarFeed, Case, Charge
from prosecutions.services.hearings import feed_digest
from tests.assets.factories import preserve, seize
from tests.documents.world import document_route_args
from tests.factories import UserFactory, granting_officers
from tests.prosecutions.factories import charged_case, days_ago
from tests.trustfund.conftest import statement_csv
from tests.trustfund.factories import receive, request
from tests.witnesses.factories import admitted, court_measures, witness_on
from trustfund import ledger, periods, statements
from trustfund import services as fund_services
from trustfund.choices import AdjustmentKind
from trustfund.models import AdjustmentProposal, Disbursement, Receipt, ReconciliationSignOff
from victims import services as victim_services
from witnesses.models import ProtectionMeasure, Witness

# URLs that are not pages behind the access rules: signing in and out, and unlocking an account locked
# by failed sign-ins (through a link e-mailed to its owner), are open to everyone. A calendar feed's secret
# address is open to calendar apps, which cannot sign in: its token decides, held to the view's
# ``page_access`` (the roles its owner must hold) by ``test_a_calendar_feed_answers_as_its_owners_roles``.
# The favicon is a static file browsers ask for at the root (tests/core/test_accessibility.py).
# Choosing the language (a POST that changes only the chooser's own language) is open on the sign-in
# page too (tests/core/test_translations_language.py).
# /health/ is for load balancers, with no sign-in and no data; a background export's pages belong to the
# user who asked for it alone (404 for everyone else): both tested in tests/jobs/.
NOT_PAGES = frozenset(
    {
        "login",
        "logout",
        "core:unlock",
        "calendar_feed_ics",
        "core:favicon",
        "api-schema",  # the OpenAPI schema answers tokens too (401 in JSON, no sign-in page): tests/api/
        "core:set_language",
        "health",
        "jobs:export_status",
        "jobs:export_download",
        # An import batch belongs to its uploader (the unit head and auditors read every batch), and a
        # template exists per kind of register: tested in tests/imports/test_views.py.
        "imports:batch_detail",
        "imports:batch_confirm",
        "imports:batch_cancel",
        "imports:template",
    }
)
TOKEN_PAGES = frozenset({"calendar_feed_ics"})
LOGIN_URL = "/accounts/login/"


@dataclass
class Side:
    """The records of one case and what hangs on it, plus the fund's records (which no one owns)."""

    case: Case
    closed_case: Case
    charge: Charge
    hearing_pk: int
    asset_pk: int
    order: CourtOrder
    witness: Witness
    victim_pk: int  # a victim on the case (victims register)
    referral_pk: int  # the victim referred to a shelter
    measure: ProtectionMeasure
    receipt: Receipt
    disbursement: Disbursement
    entry_pk: int
    statement_pk: int
    line_pk: int  # a bank charge, matched to nothing
    matched_line_pk: int  # the receipt's credit, matched on import
    proposal_pk: int  # an adjusting entry proposed by the fund administrator, awaiting an approver
    sign_off_pk: int  # a month's bank reconciliation signed off (a past month with no movement)
    markers: tuple[str, ...]  # what names these records: a refused page must show none of it
    pending_grant_pk: int  # a sensitive role asked for by another access administrator
    granted_grant_pk: int  # a role in force


@dataclass
class World:
    users: dict[str | None, User]  # one user per role, and None: a user holding no role
    within: Side  # on cases the prosecutor persona leads
    beyond: Side  # on cases another prosecutor leads


def _side(lead: User, liaison: User, fund_admin: User, tag: str) -> Side:
    case = charged_case(lead, title=f"Republic v. {tag} Mwangi")
    charge = Charge.objects.filter(accused__case=case).order_by("count_number").first()
    assert charge is not None
    hearing = prosecution_services.record_hearing(case, lead, date=days_ago(-5), purpose="mention")
    closed = charged_case(lead, title=f"Republic v. {tag} Otieno")
    prosecution_services.move_stage(closed, lead, "closed", closure_reason="withdrawn", effective_on=days_ago(1))
    asset = seize(case, lead)
    order = preserve(asset, lead)
    witness = admitted(witness_on(case, lead), liaison)
    court_measures(witness, liaison)
    victim = prosecution_services.add_victim(case, lead, exploitation_type="forced_labour", identified_on=days_ago(60))
    officer = User.objects.holding([Role.VICTIM_SERVICES_OFFICER]).order_by("pk").first()
    assert officer is not None
    provider = victim_services.add_provider(officer, name=f"Shelter {tag}", kinds=["shelter"])
    referral = victim_services.refer_victim(victim, provider, officer, kind="shelter", referred_on=days_ago(30))
    receipt = receive(fund_admin, "500000.00", days_ago(10), payer_reference=f"EXCHQ-{tag}")
    disbursement = request(fund_admin, "20000.00", days_ago(5))
    proposal = _proposal(fund_admin, tag)
    statement = statements.import_statement(
        fund_admin,
        name=f"{tag}.csv",
        content=statement_csv(
            [
                (days_ago(9).isoformat(), "RTGS credit", f"EXCHQ-{tag}", "500000.00"),
                (days_ago(3).isoformat(), "Bank charges", f"CHG-{tag}", "-150.00"),
            ]
        ),
    )
    return Side(
        case=case,
        closed_case=closed,
        charge=charge,
        hearing_pk=hearing.pk,
        asset_pk=asset.pk,
        order=order,
        witness=witness,
        victim_pk=victim.pk,
        referral_pk=referral.pk,
        measure=ProtectionMeasure.objects.filter(witness=witness).first(),  # type: ignore[arg-type]
        receipt=receipt,
        disbursement=disbursement,
        entry_pk=receipt.entry_id,
        statement_pk=statement.pk,
        line_pk=statement.lines.get(reference=f"CHG-{tag}").pk,
        matched_line_pk=statement.lines.get(reference=f"EXCHQ-{tag}").pk,
        proposal_pk=proposal.pk,
        sign_off_pk=_sign_off(fund_admin),
        markers=(
            case.reference,
            case.title,
            asset.reference,
            witness.code,
            receipt.reference,
            disbursement.reference,
            proposal.reference,
        ),
        **_grants(tag),
    )


def _proposal(fund_admin: User, tag: str) -> AdjustmentProposal:
    """A correction between two assistance accounts, proposed through the service, awaiting an approver."""
    return fund_services.propose_adjustment(
        fund_admin,
        kind=AdjustmentKind.CORRECTION,
        entry_date=days_ago(4),
        description=f"{tag}: medical bill charged to shelter",
        reason="Posted to the wrong purpose",
        lines=[
            ledger.Line(ledger.account("5150"), debit=Decimal("1000.00")),
            ledger.Line(ledger.account("5130"), credit=Decimal("1000.00")),
        ],
    )


def _sign_off(signer: User) -> int:
    """A signed-off month (one per side, years back, when the books were empty): the record re-opening
    names. Written directly: the service would need a statement reaching the month's end."""
    month = dt.date(2020, 1 + ReconciliationSignOff.objects.count(), 1)
    sign_off = ReconciliationSignOff(
        account=ledger.bank_account(),
        month=month,
        as_at=periods.month_bounds(month)[1],
        statement_balance=Decimal("0.00"),
        unpresented_payments=Decimal("0.00"),
        uncredited_receipts=Decimal("0.00"),
        ledger_balance=Decimal("0.00"),
        signed_by=signer,
        signed_at=timezone.now(),
    )
    sign_off.save_as(signer, "Signed off for the access test")
    return sign_off.pk


def _grants(tag: str) -> dict[str, int]:
    """A grant awaiting approval and one in force, both asked for by someone other than the persona."""
    asker, _ = granting_officers()
    grantee = UserFactory.create(username=f"grantee-{tag.lower()}")
    pending = grant_services.request_grant(grantee, Role.FUND_APPROVER, asker, reason=f"{tag} board officer")
    granted = grant_services.request_grant(grantee, Role.AUDITOR, asker, reason=f"{tag} internal audit")
    return {"pending_grant_pk": pending.pk, "granted_grant_pk": granted.pk}


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """Built once for the module inside a transaction that is rolled back at its end."""
    media = override_settings(
        MEDIA_ROOT=str(tmp_path_factory.mktemp("media")),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    media.enable()
    with django_db_blocker.unblock(), transaction.atomic():
        users: dict[str | None, User] = {
            role: UserFactory.create(username=f"only-{role.name.lower()}", roles=[role]) for role in Role
        }
        users[None] = UserFactory.create(username="no-role")
        outsider = UserFactory.create(username="outsider", roles=[Role.PROSECUTOR])
        liaison, fund_admin = users[Role.WITNESS_LIAISON], users[Role.FUND_ADMINISTRATOR]
        yield World(
            users=users,
            within=_side(users[Role.PROSECUTOR], liaison, fund_admin, "Within"),
            beyond=_side(outsider, liaison, fund_admin, "Beyond"),
        )
        transaction.set_rollback(True)
    media.disable()


def _person_pk(side: Side) -> int:
    """The person of the index the side's accused is."""
    person_id = Accused.objects.get(pk=side.charge.accused_id).person_id
    assert person_id is not None
    return person_id


def _merge_pk(side: Side) -> int:
    """A merge of two persons of the index, made by the unit head, that can be undone."""
    unit_head = User.objects.holding([Role.UNIT_HEAD]).order_by("pk").first()
    assert unit_head is not None
    tag = side.case.reference
    kept = prosecution_services.create_person(unit_head, name=f"Kept {tag}")
    merged = prosecution_services.create_person(unit_head, name=f"Merged {tag}")
    merge = prosecution_services.merge_persons(unit_head, kept=kept, merged=merged, reason="The same person")
    return merge.pk


# The records each URL is asked for, by URL name (a URL without keyword arguments needs no entry).
ROUTE_ARGS: dict[str, Callable[[Side], Mapping[str, int | str]]] = {
    "prosecutions:case_detail": lambda s: {"pk": s.case.pk},
    "prosecutions:case_print": lambda s: {"pk": s.case.pk},
    "prosecutions:case_edit": lambda s: {"pk": s.case.pk},
    "prosecutions:case_stage": lambda s: {"pk": s.case.pk},
    "prosecutions:case_reopen": lambda s: {"pk": s.closed_case.pk},
    "prosecutions:case_own_plea": lambda s: {"pk": s.case.pk},
    "prosecutions:case_team": lambda s: {"pk": s.case.pk},
    "prosecutions:accused_create": lambda s: {"pk": s.case.pk},
    "prosecutions:accused_edit": lambda s: {"pk": s.case.pk, "accused_pk": s.charge.accused_id},
    "prosecutions:charge_create": lambda s: {"pk": s.case.pk, "accused_pk": s.charge.accused_id},
    "prosecutions:charge_plea": lambda s: {"pk": s.case.pk, "charge_pk": s.charge.pk},
    "prosecutions:charge_disposition": lambda s: {"pk": s.case.pk, "charge_pk": s.charge.pk},
    "prosecutions:charge_sentence": lambda s: {"pk": s.case.pk, "charge_pk": s.charge.pk},
    "prosecutions:victim_create": lambda s: {"pk": s.case.pk},
    "prosecutions:hearing_create": lambda s: {"pk": s.case.pk},
    "prosecutions:hearing_outcome": lambda s: {"pk": s.case.pk, "hearing_pk": s.hearing_pk},
    "prosecutions:correct_plea": lambda s: {"pk": s.case.pk, "charge_pk": s.charge.pk},
    "prosecutions:correct_outcome": lambda s: {"pk": s.case.pk, "charge_pk": s.charge.pk},
    "prosecutions:correct_sentence": lambda s: {"pk": s.case.pk, "charge_pk": s.charge.pk},
    "prosecutions:correct_hearing": lambda s: {"pk": s.case.pk, "hearing_pk": s.hearing_pk},
    "prosecutions:correct_accused": lambda s: {"pk": s.case.pk, "accused_pk": s.charge.accused_id},
    "prosecutions:person_detail": lambda s: {"pk": _person_pk(s)},
    "prosecutions:person_merge": lambda s: {"pk": _person_pk(s)},
    "prosecutions:merge_undo": lambda s: {"pk": _merge_pk(s)},
    "network:person_network": lambda s: {"pk": _person_pk(s)},
    "network:case_network": lambda s: {"pk": s.case.pk},
    "assets:asset_create": lambda s: {"case_pk": s.case.pk},
    "assets:asset_detail": lambda s: {"pk": s.asset_pk},
    "assets:valuation_create": lambda s: {"pk": s.asset_pk},
    "assets:order_create": lambda s: {"pk": s.asset_pk},
    "assets:order_gazette": lambda s: {"pk": s.order.pk},
    "assets:asset_move": lambda s: {"pk": s.asset_pk},
    "assets:realisation_create": lambda s: {"pk": s.asset_pk},
    "assets:asset_release": lambda s: {"pk": s.asset_pk},
    "trustfund:receipt_detail": lambda s: {"pk": s.receipt.pk},
    "trustfund:disbursement_detail": lambda s: {"pk": s.disbursement.pk},
    "trustfund:disbursement_approve": lambda s: {"pk": s.disbursement.pk},
    "trustfund:disbursement_reject": lambda s: {"pk": s.disbursement.pk},
    "trustfund:disbursement_pay": lambda s: {"pk": s.disbursement.pk},
    "trustfund:disbursement_cancel": lambda s: {"pk": s.disbursement.pk},
    "trustfund:entry_detail": lambda s: {"pk": s.entry_pk},
    "trustfund:entry_reverse": lambda s: {"pk": s.entry_pk},
    "trustfund:statement_detail": lambda s: {"pk": s.statement_pk},
    "trustfund:line_match": lambda s: {"pk": s.line_pk},
    "trustfund:line_unmatch": lambda s: {"pk": s.matched_line_pk},
    # adjusting entries
    "trustfund:proposal_detail": lambda s: {"pk": s.proposal_pk},
    "trustfund:proposal_post": lambda s: {"pk": s.proposal_pk},
    "trustfund:proposal_reject": lambda s: {"pk": s.proposal_pk},
    "trustfund:proposal_withdraw": lambda s: {"pk": s.proposal_pk},
    # month-end
    "trustfund:month_sign_off": lambda s: {"month": "2026-04"},
    "trustfund:month_close": lambda s: {"month": "2026-04"},
    "trustfund:month_reopen": lambda s: {"pk": s.sign_off_pk},
    "trustfund:year_close": lambda s: {"year": "2025-26"},
    "witnesses:witness_add": lambda s: {"case_pk": s.case.pk},
    "witnesses:witness_detail": lambda s: {"pk": s.witness.pk},
    "witnesses:witness_request": lambda s: {"pk": s.witness.pk},
    "witnesses:witness_flag": lambda s: {"pk": s.witness.pk},
    "witnesses:witness_decide": lambda s: {"pk": s.witness.pk},
    "witnesses:measure_create": lambda s: {"pk": s.witness.pk},
    "witnesses:measure_end": lambda s: {"pk": s.measure.pk},
    "witnesses:identity_edit": lambda s: {"pk": s.witness.pk},
    "witnesses:identity_reveal": lambda s: {"pk": s.witness.pk},
    "victims:victim_detail": lambda s: {"pk": s.victim_pk},
    "victims:identity_edit": lambda s: {"pk": s.victim_pk},
    "victims:identity_reveal": lambda s: {"pk": s.victim_pk},
    "victims:refer": lambda s: {"pk": s.victim_pk},
    "victims:referral_move": lambda s: {"pk": s.referral_pk},
    "victims:service_record": lambda s: {"pk": s.referral_pk},
    "victims:link_case": lambda s: {"case_pk": s.case.pk},
    "trustfund:money_trail_case": lambda s: {"pk": s.case.pk},
    "trustfund:money_trail_victim": lambda s: {"pk": s.victim_pk},
    "core:user_detail": lambda s: {"pk": s.case.lead_prosecutor_id},
    "core:grant_detail": lambda s: {"pk": s.pending_grant_pk},
    "core:grant_approve": lambda s: {"pk": s.pending_grant_pk},
    "core:grant_reject": lambda s: {"pk": s.pending_grant_pk},
    "core:grant_revoke": lambda s: {"pk": s.granted_grant_pk},
}
# The documents pages: one set per kind of record that takes documents (tests/documents/world.py).
ROUTE_ARGS.update(document_route_args())


def _named_patterns(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in ("admin", "api"):
                # The Django admin has its own permissions; the API answers in JSON (401 for anonymous, not
                # the sign-in page) and is walked role by role in tests/api/.
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern.url_patterns, inner)
        elif pattern.name:
            yield f"{namespace}{pattern.name}", pattern


PAGES: dict[str, URLPattern] = {
    name: pattern for name, pattern in _named_patterns(get_resolver().url_patterns) if name not in NOT_PAGES
}
TOKEN_URLS: dict[str, URLPattern] = {
    name: pattern for name, pattern in _named_patterns(get_resolver().url_patterns) if name in TOKEN_PAGES
}


def declared_access(pattern: URLPattern) -> PageAccess:
    """The view's declaration: ``page_access``, or ``page_access_for(**initkwargs)`` when it depends on
    how the view was set up (a report page takes its report's roles)."""
    view_class = pattern.callback.view_class  # type: ignore[attr-defined]
    if hasattr(view_class, "page_access_for"):
        access: PageAccess = view_class.page_access_for(**pattern.callback.view_initkwargs)  # type: ignore[attr-defined]
        return access
    declared = view_class.__dict__.get("page_access") or getattr(view_class, "page_access", None)
    assert isinstance(declared, PageAccess), f"{view_class.__name__} declares no page_access"
    return declared


def test_every_page_is_covered() -> None:
    """Each URL has a declaration and, when it names records, the records to ask for."""
    missing = [name for name, pattern in PAGES.items() if pattern.pattern.regex.groupindex and name not in ROUTE_ARGS]
    assert not missing, f"add these URLs to ROUTE_ARGS: {missing}"
    for pattern in PAGES.values():
        declared_access(pattern)
    assert len(PAGES) > 60


def _ask(client: Client, user: User | None, url: str, method: str = "get") -> tuple[int, bytes]:
    """The status (302 only for the sign-in redirect) and the body of the response, asked by ``user`` (None:
    nobody) signed in afresh on ``client``."""
    client.logout()
    if user is not None:
        client.force_login(user)
    return _answer(client, url, method)


def _answer(client: Client, url: str, method: str = "get") -> tuple[int, bytes]:
    """The status (302 only for the sign-in redirect) and the body of the response to ``client`` as it is."""
    response = getattr(client, method)(url)
    if response.status_code == 302 and response["Location"].startswith(LOGIN_URL):
        return 302, b""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return int(response.status_code), body


class SignedIn(dict[User, Client]):
    """One client per user, signed in once per test: a user asking for a page, sending its form and downloading
    its export stays signed in, as in a browser. A view that signed them out would answer the sign-in redirect,
    which no signed-in role is ever expected to get: it cannot pass unseen."""

    def __missing__(self, user: User) -> Client:
        client = self[user] = Client()
        client.force_login(user)
        return client


def _leaks(body: bytes, side: Side) -> list[str]:
    text = body.decode(errors="ignore")
    return [marker for marker in side.markers if marker in text]


def _is_workbook(body: bytes) -> bool:
    return "About this export" in openpyxl.load_workbook(io.BytesIO(body), read_only=True).sheetnames


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_role_gets_what_the_view_declares(world: World, db: None, name: str) -> None:
    pattern = PAGES[name]
    access = declared_access(pattern)
    view_class = pattern.callback.view_class  # type: ignore[attr-defined]
    takes_records = bool(pattern.pattern.regex.groupindex)
    signed_in = SignedIn()
    wrong: list[str] = []
    sides = [(world.within, True), (world.beyond, False)] if takes_records else [(world.within, True)]
    for side, in_reach in sides:
        url = reverse(name, kwargs=dict(ROUTE_ARGS[name](side))) if takes_records else reverse(name)
        where = "within reach" if in_reach else "beyond reach"
        if (got := _answer(Client(), url)[0]) != 302:
            wrong.append(f"anonymous {where}: {got}, expected the sign-in redirect")
        for role, user in world.users.items():
            expected = access.expected(role, in_reach=in_reach)
            who = role or "no role"
            client = signed_in[user]
            got, body = _answer(client, url)
            if got != expected:
                wrong.append(f"{who} {where}: GET {got}, expected {expected}")
            elif got != 200 and (leaked := _leaks(body, side)):
                wrong.append(f"{who} {where}: refused with {got} but the page shows {leaked}")
            refused = expected != 200 and hasattr(view_class, "post")
            if refused and (got := _answer(client, url, "post")[0]) != expected:
                wrong.append(f"{who} {where}: POST {got}, expected {expected}")
            if issubclass(view_class, FilteredListView):
                got, body = _answer(client, f"{url}?{EXPORT_PARAM}=xlsx")
                if got != expected:
                    wrong.append(f"{who} {where}: Excel download {got}, expected {expected}")
                elif got == 200 and not _is_workbook(body):
                    wrong.append(f"{who} {where}: the Excel download is not a workbook with its About sheet")
    assert not wrong, f"{name} ({view_class.__name__}):\n" + "\n".join(wrong)


def test_a_calendar_feed_answers_as_its_owners_roles(world: World, db: None) -> None:
    """The feed at ``/calendar/<token>.ics`` needs no session: for a token of a user holding each role (and
    none), asked anonymously and by someone else signed in, it answers 200 when the view's ``page_access``
    opens to the owner's role and 404 otherwise — never the sign-in page, never a record's name."""
    pattern = TOKEN_URLS["calendar_feed_ics"]
    access = declared_access(pattern)
    wrong: list[str] = []
    for role, user in world.users.items():
        token = secrets.token_urlsafe(32)
        CalendarFeed.objects.create(user=user, token_digest=feed_digest(token))
        url = reverse("calendar_feed_ics", kwargs={"token": token})
        expected = 200 if access.expected(role, in_reach=True) == 200 else 404
        for asker in (None, world.users[Role.FUND_ADMINISTRATOR]):
            CalendarFeed.objects.filter(user=user).update(last_used_at=None)
            got, body = _ask(Client(), asker, url)
            if got != expected:
                who = f"token of {role or 'no role'}, asked by {asker or 'anonymous'}"
                wrong.append(f"{who}: {got}, expected {expected}")
            elif got == 200 and not body.startswith(b"BEGIN:VCALENDAR\r\n"):
                wrong.append(f"token of {role or 'no role'}: not a calendar")
            elif got != 200 and (leaked := _leaks(body, world.within) + _leaks(body, world.beyond)):
                wrong.append(f"token of {role or 'no role'}: refused but shows {leaked}")
    assert _ask(Client(), None, reverse("calendar_feed_ics", kwargs={"token": "A" * 43}))[0] == 404
    assert not wrong, "\n".join(wrong)
