"""The shared kernel: users, counties, the tracked base model and reference-number sequences."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Self

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models, router, transaction
from django.db.models import Aggregate, Exists, F, OuterRef, Q, Subquery, TextField, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.audit.manager import ChainedHistoryManager, defer_update, tracked_save_transaction
from core.channels import current_note, noted_reason
from core.choices import GrantStatus
from core.querysets import ScopedManager, ScopedQuerySet
from core.roles import SENSITIVE_ROLES, Role

# Never in a user's history: the password hash (a secret) and the last sign-in (sign-ins are chained as
# sign-in events; a history row per sign-in would only be noise).
USER_FIELDS_NOT_IN_HISTORY = ("password", "last_login")

# The attribute ``UserQuerySet.with_roles`` loads a user's roles in force into (comma-joined role names).
ROLES_LOADED = "roles_in_force_joined"


class _CommaJoined(Aggregate):
    """Text values joined by commas: ``GROUP_CONCAT`` on SQLite, ``STRING_AGG`` on PostgreSQL."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = TextField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, function="STRING_AGG", **extra_context)


class UserQuerySet(ScopedQuerySet["User"]):
    def holding(self, roles: Iterable[str]) -> Self:
        """Active users who hold one of ``roles`` in force: an approved, unrevoked grant and its group."""
        wanted = list(roles)
        membership = User.groups.through.objects.filter(user_id=OuterRef("user_id"), group__name=OuterRef("role"))
        granted = RoleGrant.objects.filter(user_id=OuterRef("pk"), status=GrantStatus.APPROVED, role__in=wanted)
        return self.filter(Exists(granted.filter(Exists(membership))), is_active=True)

    def with_roles(self) -> Self:
        """Each user with their roles in force (``User.role_names``) read in the same query: the signed-in
        user of every request is loaded so (``core.backends``), which saves every page a query."""
        membership = User.groups.through.objects.filter(user_id=OuterRef("user_id"), group__name=OuterRef("role"))
        names = (
            RoleGrant.objects.filter(user_id=OuterRef("pk"), status=GrantStatus.APPROVED)
            .filter(Exists(membership))
            .order_by()
            .values("user_id")
            .annotate(joined=_CommaJoined("role"))
            .values("joined")
        )
        return self.annotate(**{ROLES_LOADED: Coalesce(Subquery(names), Value(""), output_field=TextField())})


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    """Django's user manager (``create_user`` …) with ``visible_to(user)`` and ``holding(roles)``."""


class User(AbstractUser):
    """A person who signs in: a prosecutor, liaison, fund officer, auditor or access administrator.

    Roles are groups, but a role counts only while an approved, unrevoked ``RoleGrant`` backs the
    membership: ``core.grants`` is the only code that changes ``groups``. Changes to the account (name,
    e-mail, active, staff and superuser flags) keep a chained history; the password hash never does.
    """

    # The language the tracker speaks to this person in (pages, e-mails, notifications, exports); blank
    # follows the browser's. A code from settings.LANGUAGES, never translated.
    language = models.CharField(_("language"), max_length=10, blank=True, default="", choices=settings.LANGUAGES)

    objects = UserManager()  # type: ignore[misc]
    history = HistoricalRecords(excluded_fields=list(USER_FIELDS_NOT_IN_HISTORY), history_manager=ChainedHistoryManager)

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        return reverse("core:user_detail", args=[self.pk])

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save the account, its history row and the row's audit link in one transaction. A save of the
        last sign-in alone writes no history (the sign-in is already chained as a sign-in event)."""
        update_fields = kwargs.get("update_fields")
        quiet = update_fields is not None and set(update_fields) <= set(USER_FIELDS_NOT_IN_HISTORY) - {"password"}
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        if quiet:
            self.skip_history_when_saving = True
        try:
            with transaction.atomic(using=using, savepoint=False):
                super().save(*args, **kwargs)
        finally:
            if quiet:
                del self.skip_history_when_saving

    @property
    def role_names(self) -> frozenset[str]:
        """The roles the user holds in force: loaded with the user (``UserQuerySet.with_roles``, as the signed-in
        user of a request is) or read in one query, and cached on the instance.

        A role counts when the user is in its group *and* has an approved, unrevoked grant for it: a
        membership added behind the services' back (the admin, raw SQL) gives nothing.
        """
        cached: frozenset[str] | None = getattr(self, "_role_names_cache", None)
        if cached is None:
            loaded: str | None = self.__dict__.get(ROLES_LOADED)  # UserQuerySet.with_roles()
            if loaded is not None:
                cached = frozenset(name for name in loaded.split(",") if name)
            elif self.pk:
                granted = RoleGrant.objects.filter(user_id=self.pk, status=GrantStatus.APPROVED).values("role")
                cached = frozenset(self.groups.filter(name__in=granted).values_list("name", flat=True))
            else:
                cached = frozenset()
            self._role_names_cache = cached
        return cached

    def forget_roles(self) -> None:
        """Drop the cached roles (after a grant changed them), so the next check reads them again."""
        self.__dict__.pop("_role_names_cache", None)
        self.__dict__.pop(ROLES_LOADED, None)


class TrackedModel(models.Model):
    """Abstract base of every domain record: timestamps and a full change history with who and why.

    A model whose records some users may not see gives itself a ``ScopedManager`` (``core.querysets``),
    whose ``visible_to(user)`` applies the scope rule its app declares in ``access.py``.
    """

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(inherit=True, history_manager=ChainedHistoryManager)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save the row, its history row and the history row's audit-chain link in one transaction."""
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        if current_note():
            self._change_reason = noted_reason(getattr(self, "_change_reason", "") or "")
        with tracked_save_transaction(using, type(self)):
            super().save(*args, **kwargs)

    def _do_update(
        self, base_qs: Any, using: str | None, pk_val: Any, values: Any, update_fields: Any, forced_update: Any
    ) -> bool:
        """Django's UPDATE of the row — left for the end of the tracked save's transaction when it can go there
        in one message with the history row (``core.audit.manager.defer_update``)."""
        if using is not None and defer_update(self, using, pk_val, values):
            return True
        return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)

    def save_as(self, user: User | None, reason: str = "", **kwargs: Any) -> None:
        """Save and record ``user`` (and an optional reason) on the history row this save writes."""
        if user is not None and user.pk:
            self._history_user = user
        if reason:
            self._change_reason = reason
        self.save(**kwargs)


class RoleGrant(TrackedModel):
    """One role given to one person, as a record: who asked for it and why, who approved or rejected it,
    and who took it away and why. The person's group membership follows it (``core.grants``).

    A sensitive role (``core.roles.SENSITIVE_ROLES``) is approved by a second access administrator,
    never by the one who asked; nobody approves a grant to themselves. ``requested_by`` is empty only for
    the grants an operator made at the console (the first access administrator, memberships carried over
    from before grants were recorded).
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_grants", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    status = models.CharField(_("status"), max_length=20, choices=GrantStatus.choices, default=GrantStatus.REQUESTED)
    reason = models.TextField(_("reason for the grant"))
    requested_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the console."),
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("revoked by")
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["user", "status"], name="core_rolegrant_user_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(status__in=[GrantStatus.REQUESTED, GrantStatus.APPROVED]),
                name="core_rolegrant_one_live_grant",
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="core_rolegrant_known_role"),
            models.CheckConstraint(condition=Q(status__in=GrantStatus.values), name="core_rolegrant_known_status"),
            models.CheckConstraint(
                condition=Q(status=GrantStatus.REQUESTED, decided_by__isnull=True, decided_at__isnull=True)
                | (~Q(status=GrantStatus.REQUESTED) & Q(decided_at__isnull=False)),
                name="core_rolegrant_decided_when_not_requested",
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("user")),
                name="core_rolegrant_never_decided_by_grantee",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=sorted(SENSITIVE_ROLES), status__in=[GrantStatus.APPROVED, GrantStatus.REVOKED])
                | (Q(decided_by__isnull=False) & (Q(requested_by__isnull=True) | ~Q(decided_by=F("requested_by")))),
                name="core_rolegrant_sensitive_second_approver",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=GrantStatus.REVOKED, revoked_by__isnull=False, revoked_at__isnull=False)
                    & ~Q(revoke_reason="")
                )
                | (~Q(status=GrantStatus.REVOKED) & Q(revoked_by__isnull=True, revoked_at__isnull=True)),
                name="core_rolegrant_revoked_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} for {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("core:grant_detail", args=[self.pk])

    @property
    def is_sensitive(self) -> bool:
        return self.role in SENSITIVE_ROLES


class County(models.Model):
    """One of Kenya's 47 counties (Constitution, First Schedule), with its official code."""

    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["code"]
        verbose_name_plural = _("counties")

    def __str__(self) -> str:
        return self.name


class NumberSequence(models.Model):
    """The last number issued in one reference series for one period (a year or financial year)."""

    series = models.CharField(_("series"), max_length=40)
    period = models.CharField(_("period"), max_length=10)
    last_value = models.PositiveIntegerField(_("last value"), default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        constraints = [
            models.UniqueConstraint(fields=["series", "period"], name="core_sequence_unique_series_period"),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.period}: {self.last_value}"


class MoneyField(models.DecimalField):
    """A KES (or other currency) amount with the project-wide precision: 18 digits, 2 places."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", settings.MONEY_MAX_DIGITS)
        kwargs.setdefault("decimal_places", settings.MONEY_DECIMAL_PLACES)
        super().__init__(*args, **kwargs)


class AuditAction(models.TextChoices):
    """What an audit-log line records: a change to a record, or a sign-in event."""

    CREATED = "created", _("Created")
    CHANGED = "changed", _("Changed")
    DELETED = "deleted", _("Deleted")
    LOGIN = "login", _("Signed in")
    LOGOUT = "logout", _("Signed out")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")


class AuthEvent(models.Model):
    """A sign-in, sign-out or failed sign-in. Append-only; chained into the audit chain like history rows.

    A failed sign-in keeps the username that was tried (never the password) and no user.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=AuditAction.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("username tried"), max_length=150, blank=True)
    at = models.DateTimeField(_("at"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("sign-in event")
        verbose_name_plural = _("sign-in events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.username}"


class AuditChainHead(models.Model):
    """The head of the audit chain: the last link's number and digest. Its single row is the lock that
    serialises every append, so concurrent writers cannot fork the chain."""

    seq = models.PositiveBigIntegerField(_("seq"), default=0)
    digest = models.CharField(_("digest"), max_length=64)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    def __str__(self) -> str:
        return f"Audit chain head: link {self.seq}, {self.digest[:12]}…"


class AuditLink(models.Model):
    """One link of the tamper-evident audit chain: a keyed digest (HMAC-SHA256 with ``AUDIT_HMAC_KEY``) over
    one history row (or sign-in event) and the previous link's digest.

    It doubles as the index of the audit log: what record, which case, who, what, when and why.
    """

    seq = models.PositiveBigIntegerField(_("seq"), unique=True)
    source = models.CharField(
        _("source"), max_length=100, help_text=_("The chained table: a history model or sign-in events.")
    )
    row_id = models.BigIntegerField(_("row id"))
    record_type = models.CharField(_("record type"), max_length=100, db_index=True)
    object_id = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=255, blank=True)
    case_id = models.BigIntegerField(_("case id"), null=True, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(_("at"), db_index=True)
    reason = models.TextField(_("reason"), blank=True)
    digest = models.CharField(_("digest"), max_length=64)
    content_form = models.PositiveSmallIntegerField(
        _("content form"),
        default=2,
        help_text=_(
            "What the digest covers: 1 = every column the table had when 2 was introduced (its "
            "AuditLayout); 2 = every column holding a value, so a column added later, empty on old rows, "
            "leaves old links valid."
        ),
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("audit link")
        verbose_name_plural = _("audit links")
        ordering = ["-seq"]
        constraints = [
            models.UniqueConstraint(fields=["source", "row_id"], name="core_auditlink_unique_row"),
        ]
        indexes = [models.Index(fields=["record_type", "object_id"], name="core_auditlink_record")]

    def __str__(self) -> str:
        return f"Link {self.seq}: {self.source} #{self.row_id}"


class AuditPending(models.Model):
    """A history row (or sign-in event) written and sealed but not yet linked: the would-be link, queued.

    The writer's transaction stores it beside the row, with no lock shared with other writers; the linker
    (``core.audit.linking.link_pending``, run right after each commit, by ``verify_audit`` and by
    ``manage.py link_audit``) turns the queue into links in one order under the chain head's lock and
    deletes what it linked. ``seal`` is HMAC-SHA256 (a key derived from ``AUDIT_HMAC_KEY``) over every
    other column and the row's stored content, so an entry forged or altered while queued is not linked.
    Not a tracked model: it is part of the chain's machinery.
    """

    source = models.CharField(_("source"), max_length=100)
    row_id = models.BigIntegerField(_("row id"))
    record_type = models.CharField(_("record type"), max_length=100)
    object_id = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=255, blank=True)
    case_id = models.BigIntegerField(_("case id"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=20)
    user_id = models.BigIntegerField(_("user id"), null=True, blank=True)
    at = models.DateTimeField(_("at"))
    reason = models.TextField(_("reason"), blank=True)
    content = models.TextField(
        _("content"), help_text=_("The row as stored, canonical JSON (what the link's digest covers).")
    )
    seal = models.CharField(_("seal"), max_length=64)

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit link pending")
        verbose_name_plural = _("audit links pending")

    def __str__(self) -> str:
        return f"Pending: {self.source} #{self.row_id}"


class RowTally(models.Model):
    """A change in the number of rows of a counted table, written by the database itself (PostgreSQL
    triggers installed by ``core.tally.count_rows_by_tally`` in a migration): the sum of a table's entries is
    its row count, read instead of counting a large table row by row (``core.tally.counted_rows``). Entries
    are only ever added by the writers, so no writer waits for another; every 64th entry folds a table's
    entries into one. Not part of the record: derived from it.
    """

    table_name = models.CharField(_("table"), max_length=63, db_index=True)
    delta = models.BigIntegerField(_("change in rows"))

    class Meta:
        verbose_name = _("row count change")
        verbose_name_plural = _("row count changes")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.table_name} {self.delta:+d}"


class AuditLayout(models.Model):
    """The columns a chained table had when links of the first content form were made: what their digests
    cover, frozen so that columns added to the table later do not break them. Part of the audit record."""

    source = models.CharField(_("source"), max_length=100, unique=True)
    columns = models.JSONField(_("columns"), default=list)

    class Meta:
        verbose_name = _("audit layout")
        verbose_name_plural = _("audit layouts")
        ordering = ["source"]

    def __str__(self) -> str:
        return self.source


class AuditCheckpoint(models.Model):
    """A signed checkpoint of the audit chain (its length and head digest at a moment), as written to the
    checkpoint file and e-mailed to the auditors after a verification found the record intact.

    This copy only shows the latest one on the auditors' home page: the anchor is the file outside the
    database (``core.audit.checkpoints``). Append-only.
    """

    seq = models.PositiveBigIntegerField(_("link"))
    digest = models.CharField(_("digest"), max_length=64)
    written_at = models.DateTimeField(_("written at"))
    line = models.CharField(_("line"), max_length=255)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The auditor who verified from the app; empty for the command (cron)."),
        verbose_name=_("written by"),
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"Checkpoint at link {self.seq} ({timezone.localtime(self.written_at):%Y-%m-%d %H:%M})"
