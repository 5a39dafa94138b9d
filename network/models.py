"""The stored result of measuring the whole cross-case network (``manage.py compute_network``).

These rows are derived data, recomputed wholesale from the tracked records (accused, assets, identifiers,
victims) and replaced at each run: like the audit chain's own tables and number sequences they keep no
history of their own — the records they are computed from do.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from prosecutions.models import Case, Person


class NetworkRun(models.Model):
    """One computation of the measures over the whole graph: when, how big, and whether betweenness was
    exact or estimated from a sample of ``sampled_sources`` start nodes."""

    computed_at = models.DateTimeField(_("computed at"), db_index=True)
    nodes = models.PositiveIntegerField(_("nodes"))
    edges = models.PositiveIntegerField(_("edges"))
    persons = models.PositiveIntegerField(_("persons"))
    cases = models.PositiveIntegerField(_("cases"))
    sampled_sources = models.PositiveIntegerField(
        _("sampled sources"),
        null=True,
        blank=True,
        help_text=_("Betweenness estimated from this many sampled nodes; blank when exact."),
    )
    seconds = models.FloatField(_("seconds"), help_text=_("How long the computation took."))

    class Meta:
        verbose_name = _("network run")
        verbose_name_plural = _("network runs")
        ordering = ["-computed_at", "-id"]
        get_latest_by = "computed_at"

    def __str__(self) -> str:
        return f"Network measured {self.computed_at:%d %b %Y %H:%M}"


class PersonMeasure(models.Model):
    """One person's place in the cross-case network, as measured by a run (definitions in
    ``network.measures``)."""

    run = models.ForeignKey(NetworkRun, on_delete=models.CASCADE, related_name="measures", verbose_name=_("run"))
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="network_measures", verbose_name=_("person")
    )
    degree = models.PositiveIntegerField(
        _("degree"), help_text=_("Direct links: cases accused in, shared identifiers.")
    )
    betweenness = models.FloatField(_("betweenness"), help_text=_("Share of shortest paths through the person (0–1)."))
    cases_connected = models.PositiveIntegerField(_("cases connected"), db_index=True)
    counties_connected = models.PositiveIntegerField(_("counties connected"))
    cases_accused = models.PositiveIntegerField(_("cases accused"), help_text=_("Cases the person is an accused in."))
    charged = models.BooleanField(_("charged"), help_text=_("Charged with at least one count in some case."))

    class Meta:
        verbose_name = _("person measure")
        verbose_name_plural = _("person measures")
        ordering = ["-betweenness", "-cases_connected", "person_id"]
        constraints = [models.UniqueConstraint(fields=["run", "person"], name="network_measure_once_per_run")]
        indexes = [models.Index(fields=["run", "-betweenness"], name="network_measure_run_betw")]

    def __str__(self) -> str:
        return f"{self.person_id}: degree {self.degree}, betweenness {self.betweenness:.4f}"


class PersonMeasureCase(models.Model):
    """A case a measured person connects (accused in it, or linked to it by a shared identifier): who sees a
    person's figures must see every case behind them."""

    measure = models.ForeignKey(
        PersonMeasure, on_delete=models.CASCADE, related_name="cases", verbose_name=_("person measure")
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+", verbose_name=_("case"))

    class Meta:
        verbose_name = _("person measure case")
        verbose_name_plural = _("person measure cases")
        constraints = [models.UniqueConstraint(fields=["measure", "case"], name="network_measure_case_once")]

    def __str__(self) -> str:
        return f"{self.measure_id} → {self.case_id}"
