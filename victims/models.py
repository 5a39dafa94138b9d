"""The victims register: victims of trafficking, known everywhere by a code (CTIP s.11).

``Victim`` moved here from ``prosecutions`` (migration ``victims.0001``): its tables were renamed, its rows,
its code series and its history kept. Its history links were written under the label
``prosecutions.historicalvictim``; the history model declares that label (``audit_source``) so the old
links and the new ones verify alike (``core.audit.content.source_label``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.models import County, TrackedModel
from core.querysets import ScopedManager
from core.vault import EncryptedTextField
from prosecutions.choices import ExploitationType, Sex
from victims.choices import CHILD_BANDS, AgeBand, CaseRole, IdentifyingAgency, ReferralStatus, ServiceKind

MAX_AGE = 120

# The label the moved history table's audit links carry (written before the move).
VICTIM_AUDIT_SOURCE = "prosecutions.historicalvictim"


class Victim(TrackedModel):
    """A victim of trafficking, known only by a code: no names are stored on the record (CTIP s.11)."""

    # The case file the victim was first recorded on (victims recorded before the register); the register
    # links a victim to any number of cases through ``CaseVictim``.
    case = models.ForeignKey(
        "prosecutions.Case",
        on_delete=models.PROTECT,
        related_name="victims",
        null=True,
        blank=True,
        verbose_name=_("case"),
    )
    code = models.CharField(_("code"), max_length=20, unique=True, editable=False)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    age_at_exploitation = models.PositiveSmallIntegerField(
        _("age"), null=True, blank=True, validators=[MaxValueValidator(MAX_AGE)], help_text=_("At identification.")
    )
    age_band = models.CharField(
        _("age band"), max_length=10, choices=AgeBand.choices, blank=True, help_text=_("When only a band is known.")
    )
    is_child = models.BooleanField(_("child (under 18)"), default=False)
    # Free text, as recorded before the register; the register counts ``country``.
    nationality = models.CharField(_("nationality as first recorded"), max_length=60, blank=True)
    country = CountryField(_("nationality"), blank=True)
    # The single form recorded before the register; the register counts ``exploitation_forms``.
    exploitation_type = models.CharField(
        _("form of exploitation as first recorded"), max_length=30, choices=ExploitationType.choices, blank=True
    )
    exploitation_forms = models.JSONField(
        _("forms of exploitation"), null=True, blank=True, help_text=_("ExploitationType values; empty: not recorded.")
    )
    identified_on = models.DateField(_("identified on"))
    identified_by = models.CharField(_("identified by"), max_length=30, choices=IdentifyingAgency.choices, blank=True)
    identified_in = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("identified in")
    )
    exploited_in_county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("exploited in (county, Kenya)"),
    )
    exploited_abroad = CountryField(_("exploited in (country abroad)"), blank=True)
    referred_to_services = models.BooleanField(_("referred to services"), default=False)
    referral_consent_on = models.DateField(_("consented to referral on"), null=True, blank=True)
    prosecution_consent_on = models.DateField(_("consented to prosecution on"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("victim")
        verbose_name_plural = _("victims")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(age_at_exploitation__isnull=True)
                | Q(age_at_exploitation__lt=18, is_child=True)
                | Q(age_at_exploitation__gte=18, is_child=False),
                name="prosecutions_victim_child_matches_age",
            ),
            models.CheckConstraint(
                condition=Q(exploited_in_county__isnull=True) | Q(exploited_abroad=""),
                name="victims_victim_exploited_in_one_place",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("victims:victim_detail", args=[self.pk])

    @property
    def child(self) -> bool | None:
        """Under 18 at identification: by the age, else by the band, else as marked; None when unknown."""
        if self.age_at_exploitation is not None:
            return self.age_at_exploitation < 18
        if self.age_band:
            return self.age_band in CHILD_BANDS
        return True if self.is_child else None

    @property
    def forms(self) -> list[str]:
        """The forms of exploitation recorded (the register's list, else the one first recorded)."""
        forms: list[Any] = self.exploitation_forms or ([self.exploitation_type] if self.exploitation_type else [])
        return [str(form) for form in forms]

    def forms_display(self) -> str:
        labels = dict(ExploitationType.choices)
        return ", ".join(str(labels.get(form, form)) for form in self.forms) or str(_("Not recorded"))

    def exploited_where(self) -> str:
        if self.exploited_in_county_id:
            return _("%(county)s, Kenya") % {"county": self.exploited_in_county}
        return str(self.exploited_abroad.name) if self.exploited_abroad else ""


class CaseVictim(TrackedModel):
    """A victim's place in a case: complainant, victim witness, or named in a count."""

    victim = models.ForeignKey(Victim, on_delete=models.PROTECT, related_name="case_links", verbose_name=_("victim"))
    case = models.ForeignKey(
        "prosecutions.Case", on_delete=models.PROTECT, related_name="victim_links", verbose_name=_("case")
    )
    role = models.CharField(_("role"), max_length=20, choices=CaseRole.choices)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("case victim")
        verbose_name_plural = _("case victims")
        ordering = ["case_id", "victim_id"]
        constraints = [models.UniqueConstraint(fields=["victim", "case"], name="victims_casevictim_once_per_case")]

    def __str__(self) -> str:
        # Ids only: history and audit rows name the link without a query per row.
        return _("%(role)s (victim #%(victim)s, case #%(case)s)") % {
            "role": self.get_role_display(),
            "victim": self.victim_id,
            "case": self.case_id,
        }


class VictimIdentity(TrackedModel):
    """A victim's name and contact details, encrypted at rest (``core.vault``, as witness identities). Read
    only by the victim services officer, through the service that records a ``VictimIdentityAccess`` first."""

    victim = models.OneToOneField(Victim, on_delete=models.PROTECT, related_name="identity", verbose_name=_("victim"))
    victim_code = models.CharField(_("victim code"), max_length=20, editable=False)
    full_name = EncryptedTextField(_("name"))
    phone = EncryptedTextField(_("phone"), blank=True)
    address = EncryptedTextField(_("address or whereabouts"), blank=True)
    contact_person = EncryptedTextField(_("contact person"), blank=True)

    ENCRYPTED_FIELDS = ("full_name", "phone", "address", "contact_person")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("victim identity")
        verbose_name_plural = _("victim identities")

    def __str__(self) -> str:
        return _("Identity of %(code)s") % {"code": self.victim_code}


class VictimIdentityAccess(TrackedModel):
    """One reading of a victim's identity: who, when and the purpose they gave (recorded before it shows)."""

    victim = models.ForeignKey(
        Victim, on_delete=models.PROTECT, related_name="identity_accesses", verbose_name=_("victim")
    )
    accessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("accessed by")
    )
    accessed_at = models.DateTimeField(_("accessed at"), db_index=True)
    purpose = models.TextField(_("purpose"))

    objects = ScopedManager()

    class Meta:
        ordering = ["-accessed_at", "-id"]
        verbose_name = _("victim identity access")
        verbose_name_plural = _("victim identity accesses")

    def __str__(self) -> str:
        return _("Identity read on %(when)s") % {"when": date_format(timezone.localtime(self.accessed_at), "d M Y H:i")}


class ServiceProvider(TrackedModel):
    """A shelter, clinic, counsellor, legal-aid clinic or programme a victim can be referred to (CTIP s.15)."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    kinds = models.JSONField(_("services offered"), default=list, help_text=_("ServiceKind values."))
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("county")
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Places (shelters), if limited.")
    )
    active = models.BooleanField(_("active"), default=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def offers(self, kind: str) -> bool:
        return kind in (self.kinds or [])

    def kinds_display(self) -> str:
        labels = dict(ServiceKind.choices)
        return ", ".join(str(labels.get(kind, kind)) for kind in self.kinds or [])


class Referral(TrackedModel):
    """A victim referred to a provider for one kind of service: referred → accepted → in service →
    completed, or declined / withdrawn. Each move is dated."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    victim = models.ForeignKey(Victim, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("victim"))
    provider = models.ForeignKey(
        ServiceProvider, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("provider")
    )
    kind = models.CharField(_("service"), max_length=20, choices=ServiceKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.REFERRED
    )
    referred_on = models.DateField(_("referred on"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    started_on = models.DateField(_("in service from"), null=True, blank=True)
    ended_on = models.DateField(_("completed, declined or withdrawn on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_kind_display()})"

    def get_absolute_url(self) -> str:
        return reverse("victims:victim_detail", args=[self.victim_id]) + "?tab=referrals"


class ServiceDelivered(TrackedModel):
    """A service delivered under a referral (a night's shelter, a consultation, a court escort)."""

    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="services", verbose_name=_("referral")
    )
    delivered_on = models.DateField(_("delivered on"))
    description = models.CharField(_("description"), max_length=255)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("service delivered")
        verbose_name_plural = _("services delivered")
        ordering = ["delivered_on", "id"]
        verbose_name_plural = _("services delivered")

    def __str__(self) -> str:
        return _("%(description)s (%(date)s)") % {
            "description": self.description,
            "date": date_format(self.delivered_on, "d M Y"),
        }


# The history model is built by simple-history from TrackedModel; its links keep the pre-move label.
Victim.history.model.audit_source = VICTIM_AUDIT_SOURCE
