"""Who sees the network — decided here, on the index of persons' own rules (``prosecutions.access``).

The readers of the index of persons (prosecutors, the unit head, auditors) open the network pages; fund
roles, witness protection liaisons, victim services and access administrators do not. Everything drawn is
read through the user's scope rules (``Case.objects.visible_to``, ``Person.objects.visible_to``…): a person
or link reached only through a case the user may not see is not drawn. On the persons-of-interest page a
person's figures count every case behind them, so a person connected to a case the user may not see is left
out altogether (the unit head sees every case, and every person).
"""

from __future__ import annotations

from django.db.models import QuerySet

from core.access import AnyUser, has_role
from network.models import NetworkRun, PersonMeasure
from prosecutions.access import EVERY_PERSON_READERS, PERSON_READERS, can_read_persons
from prosecutions.models import Case, Person

NETWORK_READERS = PERSON_READERS

__all__ = ["NETWORK_READERS", "can_read_network", "measures_visible_to"]


def can_read_network(user: AnyUser) -> bool:
    return can_read_persons(user)


def measures_visible_to(user: AnyUser, run: NetworkRun | None) -> QuerySet[PersonMeasure]:
    """The run's person measures the user may see: the person visible, and every case behind the figures."""
    if run is None or not can_read_network(user):
        return PersonMeasure.objects.none()
    measures = PersonMeasure.objects.filter(run=run, person__merged_into__isnull=True)
    if has_role(user, EVERY_PERSON_READERS):
        return measures
    unseen = Case.objects.exclude(pk__in=Case.objects.visible_to(user).values("pk")).values("pk")
    return measures.filter(person__in=Person.objects.visible_to(user).values("pk")).exclude(cases__case_id__in=unseen)
