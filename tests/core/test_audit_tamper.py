"""Every way of tampering with the record that the security review tried (issue 13), done the way an
attacker with database access would — raw SQL, no key — and each caught by ``verify_audit``.

Each kind first runs ``verify_audit`` on the untouched history (it must pass, so the failure after is the
tampering's doing), which also writes a checkpoint outside the database. Kinds that only a checkpoint can
catch (history cut short, wiped, head rewound) keep it; for the others it is thrown away before the
tampering, so the chain and the live-table check catch them on their own.

On PostgreSQL the append-only triggers refuse most of these edits outright (``test_audit_append_only.py``);
here the attacker is a database administrator who switches them off (``session_replication_role``), to
show that verification catches what the triggers would not.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from simple_history.models import HistoricalChanges

from core.models import AuditChainHead, AuditLink, AuthEvent, User
from prosecutions import services as prosecution_services
from prosecutions.models import Case
from tests.core.audit_tampering import run_sql, table
from tests.prosecutions.factories import charged_case
from tests.trustfund.factories import paid, receive
from tests.witnesses.factories import with_identity, witness_on
from trustfund.models import Disbursement, JournalLine, Receipt
from witnesses.models import IdentityAccess
from witnesses.services import record_identity_access

pytestmark = pytest.mark.django_db

GENESIS = "0" * 64
CHECKPOINT_PREFIX = "CTIP-AUDIT-CHECKPOINT"


# --------------------------------------------------------------------------------------------------
# Tools of the attacker


def history_models() -> list[type[Any]]:
    return [m for m in apps.get_models() if issubclass(m, HistoricalChanges) and hasattr(m, "instance_type")]


def set_head(seq: int, digest: str) -> None:
    run_sql(f"UPDATE {table(AuditChainHead)} SET seq = %s, digest = %s", [seq, digest])


def delete_links_after(seq: int) -> None:
    """Remove the links after ``seq`` and the rows they chain, and move the head back to ``seq``."""
    tail = list(AuditLink.objects.filter(seq__gt=seq).values_list("source", "row_id"))
    chained: list[type[Any]] = [*history_models(), AuthEvent]
    by_label = {m._meta.label_lower: m for m in chained}
    for source, row_id in tail:
        model = by_label[source]
        run_sql(f"DELETE FROM {table(model)} WHERE {connection.ops.quote_name(model._meta.pk.column)} = %s", [row_id])
    run_sql(f"DELETE FROM {table(AuditLink)} WHERE seq > %s", [seq])
    digest = AuditLink.objects.get(seq=seq).digest if seq else GENESIS
    set_head(seq, digest)


def sign_in_and_out(user: User) -> None:
    client = Client()
    client.force_login(user)
    client.logout()


# --------------------------------------------------------------------------------------------------
# The record under attack: a charged case, money in and out of the fund, a witness whose identity was read


@dataclass
class World:
    case: Case
    lead: User
    other: User
    auditor: User
    receipt: Receipt
    disbursement: Disbursement
    access: IdentityAccess


@pytest.fixture
def world(
    prosecutor: User, other_prosecutor: User, fund_admin: User, fund_approver: User, liaison: User, auditor: User
) -> World:
    case = charged_case(prosecutor)
    receipt = receive(fund_admin, "500000.00")
    disbursement = paid(fund_admin, fund_approver, "20000.00")
    witness = witness_on(case, prosecutor)
    with_identity(witness, liaison, "TAMPER")
    access = record_identity_access(witness, liaison, "Serving the hearing notice on the witness")
    sign_in_and_out(prosecutor)
    # The newest links are changes to a case, so cutting off the tail removes history of live records.
    prosecution_services.update_case_details(case, prosecutor, reason="OB number corrected", ob_number="OB 12/3/2026")
    case.refresh_from_db()
    return World(case, prosecutor, other_prosecutor, auditor, receipt, disbursement, access)


# --------------------------------------------------------------------------------------------------
# The kinds of tampering. Each does its damage and returns what verify_audit's message must name.


@dataclass(frozen=True)
class Kind:
    tamper: Callable[[World, Path], list[str]]
    needs_checkpoint: bool = False
    prepare: Callable[[World], None] = field(default=lambda world: None)


def edit_history_row(world: World, anchor: Path) -> list[str]:
    row = Case.history.filter(id=world.case.pk).order_by("history_id")[1]
    run_sql(f"UPDATE {table(Case.history.model)} SET title = %s WHERE history_id = %s", ["Republic v. Nobody", row.pk])
    seq = AuditLink.objects.get(source="prosecutions.historicalcase", row_id=row.pk).seq
    return [f"link {seq} ", f"prosecutions.historicalcase row {row.pk}", "altered"]


def delete_history_row(world: World, anchor: Path) -> list[str]:
    row = Case.history.filter(id=world.case.pk).order_by("history_id")[1]
    seq = AuditLink.objects.get(source="prosecutions.historicalcase", row_id=row.pk).seq
    run_sql(f"DELETE FROM {table(Case.history.model)} WHERE history_id = %s", [row.pk])
    return [f"link {seq} ", f"row {row.pk}", "deleted"]


def insert_history_row(world: World, anchor: Path) -> list[str]:
    model = Case.history.model
    columns = ", ".join(
        connection.ops.quote_name(f.column) for f in model._meta.concrete_fields if f.name != "history_id"
    )
    newest = Case.history.filter(id=world.case.pk).latest("history_id")
    run_sql(
        f"INSERT INTO {table(model)} ({columns}) SELECT {columns} FROM {table(model)} WHERE history_id = %s",
        [newest.pk],
    )
    forged = Case.history.filter(id=world.case.pk).latest("history_id")
    return [f"prosecutions.historicalcase row {forged.pk}", "has no link"]


def reorder_links(world: World, anchor: Path) -> list[str]:
    first, second = AuditLink.objects.order_by("seq")[3:5]
    spare = AuditLink.objects.order_by("-seq").values_list("seq", flat=True)[0] + 1000
    run_sql(f"UPDATE {table(AuditLink)} SET seq = %s WHERE id = %s", [spare, first.pk])
    run_sql(f"UPDATE {table(AuditLink)} SET seq = %s WHERE id = %s", [first.seq, second.pk])
    run_sql(f"UPDATE {table(AuditLink)} SET seq = %s WHERE id = %s", [second.seq, first.pk])
    return [f"link {first.seq} ({second.source} row {second.row_id}"]


def truncate_tail(world: World, anchor: Path) -> list[str]:
    head = AuditChainHead.objects.get()
    delete_links_after(head.seq - 3)
    return ["checkpoint", f"link={head.seq}", "cut off"]


def wipe_everything(world: World, anchor: Path) -> list[str]:
    head = AuditChainHead.objects.get()
    for model in history_models():
        run_sql(f"DELETE FROM {table(model)}")
    run_sql(f"DELETE FROM {table(AuditLink)}")
    run_sql(f"DELETE FROM {table(AuthEvent)}")
    if "core_auditcheckpoint" in connection.introspection.table_names():
        run_sql(f"DELETE FROM {connection.ops.quote_name('core_auditcheckpoint')}")
    set_head(0, GENESIS)
    return ["checkpoint", f"link={head.seq}", "cut off"]


def sign_in_twice_more(world: World) -> None:
    """The newest links are sign-in events, which no live table mirrors: only a checkpoint can tell."""
    sign_in_and_out(world.auditor)
    sign_in_and_out(world.lead)


def rewind_head(world: World, anchor: Path) -> list[str]:
    head = AuditChainHead.objects.get()
    assert set(AuditLink.objects.filter(seq__gt=head.seq - 4).values_list("source", flat=True)) == {"core.authevent"}
    delete_links_after(head.seq - 4)
    return ["checkpoint", f"link={head.seq}", "cut off"]


def edit_chain_link(world: World, anchor: Path) -> list[str]:
    link = AuditLink.objects.filter(source="prosecutions.historicalcase").order_by("seq")[1]
    run_sql(f"UPDATE {table(AuditLink)} SET object_repr = %s WHERE id = %s", ["Case: Republic v. Nobody", link.pk])
    return [f"link {link.seq} "]


def edit_journal_lines(world: World, anchor: Path) -> list[str]:
    entry_id = world.receipt.entry_id
    run_sql(f"UPDATE {table(JournalLine)} SET debit = debit * 10, credit = credit * 10 WHERE entry_id = %s", [entry_id])
    first = JournalLine.objects.filter(entry_id=entry_id).order_by("pk").first()
    assert first is not None
    return [f"trustfund_journalline row {first.pk}", "debit" if first.debit else "credit"]


def edit_disbursement(world: World, anchor: Path) -> list[str]:
    run_sql(
        f"UPDATE {table(Disbursement)} SET amount = amount * 100, service_provider = %s WHERE id = %s",
        ["Kamili Shell Traders", world.disbursement.pk],
    )
    return [f"trustfund_disbursement row {world.disbursement.pk}", "service_provider"]


def edit_case(world: World, anchor: Path) -> list[str]:
    run_sql(
        f"UPDATE {table(Case)} SET title = %s, lead_prosecutor_id = %s WHERE id = %s",
        ["Republic v. Someone Else", world.other.pk, world.case.pk],
    )
    return [f"prosecutions_case row {world.case.pk}", "title"]


def delete_identity_access(world: World, anchor: Path) -> list[str]:
    run_sql(f"DELETE FROM {table(IdentityAccess)} WHERE id = %s", [world.access.pk])
    return [f"witnesses_identityaccess row {world.access.pk}", "deleted outside the tracker"]


def delete_receipt(world: World, anchor: Path) -> list[str]:
    run_sql(f"DELETE FROM {table(Receipt)} WHERE id = %s", [world.receipt.pk])
    return [f"trustfund_receipt row {world.receipt.pk}", "deleted outside the tracker"]


def insert_live_row(world: World, anchor: Path) -> list[str]:
    """A payment nobody asked for: a copy of the disbursement under a new number, approved and unpaid."""
    overrides = {"reference": "TF/DSB/2026/9999", "status": "approved", "payment_entry_id": None, "paid_on": None}
    columns = [f.attname for f in Disbursement._meta.concrete_fields if f.attname != "id"]
    select = ", ".join("%s" if c in overrides else connection.ops.quote_name(c) for c in columns)
    run_sql(
        f"INSERT INTO {table(Disbursement)} ({', '.join(connection.ops.quote_name(c) for c in columns)}) "
        f"SELECT {select} FROM {table(Disbursement)} WHERE id = %s",
        [*(overrides[c] for c in columns if c in overrides), world.disbursement.pk],
    )
    forged = Disbursement.objects.get(reference="TF/DSB/2026/9999")
    return [f"trustfund_disbursement row {forged.pk}", "no history"]


def edit_sign_in_event(world: World, anchor: Path) -> list[str]:
    event = AuthEvent.objects.order_by("id").first()
    assert event is not None
    run_sql(f"UPDATE {table(AuthEvent)} SET username = %s WHERE id = %s", ["somebody-else", event.pk])
    return [f"core.authevent row {event.pk}"]


def forge_checkpoint_line(world: World, anchor: Path) -> list[str]:
    """Someone able to write the checkpoint file (but without the key) adds a line of their own."""
    head = AuditChainHead.objects.get()
    files = sorted(p for p in anchor.iterdir() if p.is_file()) if anchor.exists() else []
    real = [line for p in files for line in p.read_text().splitlines() if line.startswith(CHECKPOINT_PREFIX)]
    if real:  # a genuine line with a later link number put in
        forged = real[0].replace(f"link={head.seq} ", f"link={head.seq + 500} ")
    else:
        at, digest, sig = "2026-12-01T09:00:00+03:00", "ab" * 32, "cd" * 32
        forged = f"{CHECKPOINT_PREFIX} link={head.seq + 500} at={at} digest={digest} sig={sig}"
    target = files[0] if files else anchor / "audit-checkpoints.log"
    anchor.mkdir(parents=True, exist_ok=True)
    with target.open("a") as out:
        out.write(forged + "\n")
    return ["signature", "does not verify", target.name]


def role_grant_by_raw_insert(world: World, anchor: Path) -> list[str]:
    """A user is put in the liaison group with no grant (the user-groups table of the custom user model,
    Django's auth_user_groups): the role-grants check names the user and the group."""
    from django.contrib.auth.models import Group

    from core.grants.integrity import NAME
    from core.roles import Role

    membership = User.groups.through
    liaison_group = Group.objects.get(name=Role.WITNESS_LIAISON)
    run_sql(f"INSERT INTO {table(membership)} (user_id, group_id) VALUES (%s, %s)", [world.other.pk, liaison_group.pk])
    return [
        NAME,
        f"user {world.other.username}",
        f"in the group {Role.WITNESS_LIAISON.value!r} without an approved grant",
    ]


KINDS: dict[str, Kind] = {
    "edit a history row": Kind(edit_history_row),
    "delete a history row": Kind(delete_history_row),
    "insert a history row without a link": Kind(insert_history_row),
    "reorder links": Kind(reorder_links),
    "truncate the tail": Kind(truncate_tail, needs_checkpoint=True),
    "wipe everything": Kind(wipe_everything, needs_checkpoint=True),
    "rewind the head": Kind(rewind_head, needs_checkpoint=True, prepare=sign_in_twice_more),
    "edit a chain link's own columns": Kind(edit_chain_link),
    "edit a posted journal line's amounts x10": Kind(edit_journal_lines),
    "edit a disbursement's amount x100 and payee": Kind(edit_disbursement),
    "edit a case's title and lead prosecutor": Kind(edit_case),
    "delete an identity-access row": Kind(delete_identity_access),
    "delete a receipt row": Kind(delete_receipt),
    "insert a live row with no history": Kind(insert_live_row),
    "edit a sign-in event": Kind(edit_sign_in_event),
    "forge a checkpoint line": Kind(forge_checkpoint_line, needs_checkpoint=True),
    "grant a role by raw insert into auth_user_groups": Kind(role_grant_by_raw_insert),
}


def verify(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("kind", list(KINDS))
def test_verify_audit_catches_the_tampering(kind: str, world: World, settings: Any, tmp_path: Path) -> None:
    spec = KINDS[kind]
    anchor = tmp_path / "checkpoints"
    settings.AUDIT_CHECKPOINT_DIR = str(anchor)
    spec.prepare(world)
    code, out, err = verify()
    assert code == 0, f"the untouched record fails verification: {err}"
    if not spec.needs_checkpoint:
        shutil.rmtree(anchor, ignore_errors=True)

    expected = spec.tamper(world, anchor)  # as a database administrator, triggers off (audit_tampering)

    code, out, err = verify()
    assert code == 1, f"{kind}: passed unnoticed ({out.strip()})"
    missing = [words for words in expected if words not in err]
    assert not missing, f"{kind}: the message does not name {missing}: {err}"


def test_every_kind_the_review_tried_is_covered() -> None:
    assert len(KINDS) >= 17
