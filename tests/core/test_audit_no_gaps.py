"""No gaps in the audit history: tracked models change only through save()/delete() or simple-history's
bulk helpers, which write (and chain) history. ``QuerySet.update()``, ``bulk_create``/``bulk_update`` and
raw SQL write none, so this test fails the build when such a call appears in the apps' code.

The scan reads every app module (migrations and tests aside) with Python's ``ast``. A call is refused
when its receiver is a queryset or manager: ``X.objects…``, a queryset method chain (``.filter(…)``),
a reverse relation of a tracked model (``case.charges``), or a name assigned from one of those. Models
that keep no history (the audit chain's own tables, number sequences) are allowed by name.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from core.models import TrackedModel

ROOT = Path(settings.BASE_DIR)
WRITE_METHODS = {"update", "bulk_create", "bulk_update"}
RAW_SQL_METHODS = {"raw", "extra", "cursor"}
RAW_SQL_NAMES = {"RawSQL"}
QUERYSET_METHODS = {
    "objects",
    "_default_manager",
    "_base_manager",
    "history",
    "filter",
    "exclude",
    "all",
    "none",
    "using",
    "order_by",
    "select_related",
    "prefetch_related",
    "select_for_update",
    "annotate",
    "alias",
    "distinct",
    "values",
    "defer",
    "only",
    "visible_to",
    "editable_by",
}


def _project_apps() -> list[str]:
    return [config.name for config in apps.get_app_configs() if Path(config.path).is_relative_to(ROOT)]


def _tracked_names() -> tuple[set[str], set[str]]:
    """Class names of the tracked models (and of models that keep no history), and the accessor names of
    reverse relations into tracked models (``charges``, ``valuations``, ``x_set``)."""
    tracked: set[str] = set()
    untracked: set[str] = set()
    reverse: set[str] = set()
    for model in apps.get_models():
        is_tracked = issubclass(model, TrackedModel) or hasattr(model, "history")
        (tracked if is_tracked else untracked).add(model.__name__)
        for relation in model._meta.related_objects:
            related = relation.related_model
            if isinstance(related, type) and issubclass(related, TrackedModel):
                accessor = relation.get_accessor_name()
                if accessor:
                    reverse.add(accessor)
    return untracked - tracked, reverse


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text}"


class _Scanner(ast.NodeVisitor):
    def __init__(self, path: str, untracked: set[str], reverse: set[str]) -> None:
        self.path, self.untracked, self.reverse = path, untracked, reverse
        self.findings: list[Finding] = []
        self.querysets: list[set[str]] = [set()]

    # -- scopes: names assigned from querysets, per function ------------------------------------------
    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        names = set()
        for arg in [*node.args.args, *node.args.kwonlyargs]:
            if arg.annotation is not None and "QuerySet" in ast.unparse(arg.annotation):
                names.add(arg.arg)
        self.querysets.append(names)
        self.generic_visit(node)
        self.querysets.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Assign(self, node: ast.Assign | ast.AnnAssign) -> None:
        value = node.value
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        annotated = isinstance(node, ast.AnnAssign) and "QuerySet" in ast.unparse(node.annotation)
        if value is not None and (annotated or self._is_queryset(value)):
            for target in targets:
                if isinstance(target, ast.Name):
                    self.querysets[-1].add(target.id)
        self.generic_visit(node)

    visit_AnnAssign = visit_Assign

    # -- the calls -----------------------------------------------------------------------------------
    def _root(self, node: ast.expr) -> ast.expr:
        while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
            node = node.func if isinstance(node, ast.Call) else node.value
        return node

    def _chain(self, node: ast.expr) -> list[str]:
        parts = []
        while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
            if isinstance(node, ast.Attribute):
                parts.append(node.attr)
                node = node.value
            else:
                node = node.func if isinstance(node, ast.Call) else node.value
        return parts

    def _is_queryset(self, node: ast.expr) -> bool:
        chain = self._chain(node)
        root = self._root(node)
        if isinstance(root, ast.Name) and any(root.id in scope for scope in self.querysets):
            return True
        if any(part in QUERYSET_METHODS for part in chain):
            return True
        return bool(chain) and chain[-1] != "self" and chain[0] in self.reverse and isinstance(node, ast.Attribute)

    def _untracked_root(self, node: ast.expr) -> bool:
        root = self._root(node)
        return isinstance(root, ast.Name) and root.id in self.untracked

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            receiver = func.value
            if func.attr in {"bulk_create", "bulk_update"} and not self._untracked_root(receiver):
                self._report(node, f"{func.attr}() writes no history")
            elif (
                func.attr == "update"
                and (self._is_queryset(receiver) or self._receiver_is_queryset_name(receiver))
                and not self._untracked_root(receiver)
            ):
                self._report(node, "QuerySet.update() writes no history")
            elif (
                func.attr in RAW_SQL_METHODS
                and not self._untracked_root(receiver)
                and (func.attr != "cursor" or "connection" in ast.unparse(receiver))
            ):
                self._report(node, f"raw SQL ({func.attr}) bypasses history")
        elif isinstance(func, ast.Name) and func.id in RAW_SQL_NAMES:
            self._report(node, "raw SQL (RawSQL) bypasses history")
        self.generic_visit(node)

    def _receiver_is_queryset_name(self, receiver: ast.expr) -> bool:
        return isinstance(receiver, ast.Name) and any(receiver.id in scope for scope in self.querysets)

    def _report(self, node: ast.Call, why: str) -> None:
        self.findings.append(Finding(self.path, node.lineno, f"{ast.unparse(node)[:100]} — {why}"))


def scan_source(source: str, path: str = "<snippet>") -> list[Finding]:
    untracked, reverse = _tracked_names()
    scanner = _Scanner(path, untracked, reverse)
    scanner.visit(ast.parse(source))
    return scanner.findings


def app_modules() -> list[Path]:
    files: list[Path] = []
    for name in _project_apps():
        folder = ROOT / name.replace(".", "/")
        files.extend(p for p in folder.rglob("*.py") if "migrations" not in p.parts)
    return sorted(files)


# Calls the scan cannot tell from writes but which write nothing, each with why (path, call as written).
ALLOWED = {
    # verify_audit's read-only snapshot: SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY.
    ("core/audit/verification.py", "connection.cursor()"),
    # The chain's own tables only, no tracked model: the writer's queue INSERT (chain.py); the linker (lock the
    # head, take the queue, insert links, vacuum the queue: linking.py).
    ("core/audit/chain.py", "connection.cursor()"),
    ("core/audit/linking.py", "connection.cursor()"),
    # A chained table's history row inserted with RETURNING every column: the INSERT Django's compiler would
    # send, which simple-history's signal then seals (core.audit.stored).
    ("core/audit/stored.py", "connection.cursor()"),
    # The end of a tracked save: the statements the chain left for it (the history row sealed as sent, the
    # queue entry) sent with the COMMIT (core.audit.manager.tracked_save_transaction).
    ("core/audit/manager.py", "connection.cursor()"),
    # Verification's row counts of every chained table in one SELECT (reads only).
    ("core/audit/chain_verify.py", "connection.cursor()"),
    # A whole table's row count read from its tally, or counted (one SELECT; the tally is written by triggers).
    ("core/tally.py", "connection.cursor()"),
    # The health check's SELECT 1: is the database answering (reads nothing, writes nothing).
    ("jobs/views.py", "connection.cursor()"),
}


def test_the_apps_code_never_writes_tracked_models_behind_history() -> None:
    modules = app_modules()
    scanned = {p.relative_to(ROOT).parts[0] for p in modules}
    assert {"core", "prosecutions", "assets"} <= scanned
    findings = [
        f
        for p in modules
        for f in scan_source(p.read_text(), str(p.relative_to(ROOT)))
        if (f.path, f.text.split(" — ")[0]) not in ALLOWED
    ]
    assert findings == [], "Calls that change tracked models without history:\n" + "\n".join(map(str, findings))


@pytest.mark.parametrize(
    "snippet",
    [
        "Case.objects.filter(stage='trial').update(stage='closed')",
        "case.charges.update(plea='guilty')",
        "case.charges.all().update(plea='guilty')",
        "def f():\n    qs = Case.objects.open()\n    qs.update(summary='')",
        "def f(cases: QuerySet[Case]):\n    cases.update(summary='')",
        "Charge.objects.bulk_create([Charge()])",
        "Asset._default_manager.bulk_update(assets, ['status'])",
        "Case.objects.raw('SELECT * FROM prosecutions_case')",
        "Case.objects.extra(where=['1=1'])",
        "with connection.cursor() as c:\n    c.execute('UPDATE prosecutions_case SET title = 1')",
        "Case.objects.annotate(x=RawSQL('1', []))",
    ],
)
def test_the_scan_catches_each_kind_of_write_that_skips_history(snippet: str) -> None:
    assert scan_source(snippet), f"not caught: {snippet}"


@pytest.mark.parametrize(
    "snippet",
    [
        "context.update(title='Cases')",
        "names.update({1: 'a'})",
        "NumberSequence.objects.filter(series='x').update(last_value=1)",
        "AuditLink.objects.bulk_create(links)",
        "bulk_create_with_history(courts, Court)",
        "bulk_update_with_history(courts, Court, ['station'])",
        "case.save_as(user, 'reason')",
    ],
)
def test_the_scan_lets_through_what_writes_history_or_is_not_tracked(snippet: str) -> None:
    assert scan_source(snippet) == []
