"""``manage.py asset_deadlines --within N [--record-lapses]``: the preservation deadlines, for cron.

Prints every preservation order expiring within N days or already expired with no forfeiture
application, emails each lead prosecutor the lines for their cases, and with ``--record-lapses``
records the lapse of the expired ones (as the system).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assets.deadlines import deadline_orders, warning_days
from assets.models import CourtOrder
from assets.services import record_lapse
from core.exceptions import DomainError
from core.translations import language_of


def _line(order: CourtOrder, today: dt.date) -> str:
    """One order as a line of the list, in the language active (the recipient's, in an e-mail)."""
    assert order.expires_on is not None
    days = (order.expires_on - today).days
    if days < 0:
        when = _("EXPIRED %(days)s day(s) ago") % {"days": -days}
    elif days == 0:
        when = _("expires TODAY")
    else:
        when = _("%(days)s day(s) left") % {"days": days}
    asset = order.asset
    return _("%(reference)s  %(description)s  case %(case)s  order %(number)s  expires %(date)s  (%(when)s)") % {
        "reference": asset.reference,
        "description": asset.description,
        "case": asset.case.reference,
        "number": order.order_number,
        "date": date_format(order.expires_on, "d M Y"),
        "when": when,
    }


def _email(prosecutor: Any, orders: list[CourtOrder], within: int, today: dt.date) -> tuple[str, str]:
    """The subject and body of a lead prosecutor's reminder, in the language they chose."""
    with translation.override(language_of(prosecutor)):
        subject = _("CTIP: %(count)s preservation deadline(s) on your cases") % {"count": len(orders)}
        body = "\n".join(
            [
                _("Dear %(name)s,") % {"name": prosecutor.get_full_name() or prosecutor.username},
                "",
                _(
                    "These preservation orders on your cases expire within %(within)s days, or have expired "
                    "with no forfeiture application recorded:"
                )
                % {"within": within},
                "",
                *("  " + _line(order, today) for order in orders),
                "",
                _("File the forfeiture application in time, or record what happened, in the CTIP Case Tracker."),
            ]
        )
    return subject, body


class Command(BaseCommand):
    help = "List preservation orders expiring soon or expired without a forfeiture application; email lead prosecutors."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--within", type=int, default=None, help="Days ahead to look (default ASSET_DEADLINE_WARNING_DAYS)."
        )
        parser.add_argument(
            "--record-lapses",
            action="store_true",
            help="Record the lapse of every expired order (the asset moves to 'lapsed').",
        )
        parser.add_argument("--no-email", action="store_true", help="Print only; send no email.")

    def handle(self, *args: Any, **options: Any) -> None:
        within = warning_days() if options["within"] is None else options["within"]
        if within < 0:
            raise CommandError("--within must be zero or more days.")
        today = timezone.localdate()
        orders = list(deadline_orders(within, today))
        # What was found and who was told, for the scheduled job's outcome line (assets.schedule).
        self.within, self.found, self.emailed, self.unaddressed = within, len(orders), 0, 0
        if not orders:
            self.stdout.write(f"No preservation order expires within {within} days, and none has lapsed unrecorded.")
            return

        self.stdout.write(f"Preservation deadlines within {within} days ({len(orders)}):")
        by_prosecutor: dict[Any, list[CourtOrder]] = defaultdict(list)
        for order in orders:
            self.stdout.write("  " + _line(order, today))
            by_prosecutor[order.asset.case.lead_prosecutor].append(order)

        if not options["no_email"]:
            sent = 0
            for prosecutor, theirs in by_prosecutor.items():
                if not prosecutor.email:
                    self.unaddressed += 1
                    self.stderr.write(f"No email address for {prosecutor}; their {len(theirs)} deadline(s) not sent.")
                    continue
                subject, body = _email(prosecutor, theirs, within, today)
                send_mail(
                    subject,
                    body,
                    settings.DEFAULT_FROM_EMAIL,
                    [prosecutor.email],
                )
                sent += 1
            self.emailed = sent
            self.stdout.write(f"Emailed {sent} lead prosecutor(s).")

        if options["record_lapses"]:
            lapsed = 0
            for order in orders:
                if order.expires_on is not None and order.expires_on < today:
                    try:
                        record_lapse(order.asset, None)
                    except DomainError as error:
                        self.stderr.write(f"{order.asset.reference}: {error.message}")
                        continue
                    lapsed += 1
                    self.stdout.write(f"Recorded the lapse of {order.asset.reference}.")
            self.stdout.write(f"Recorded {lapsed} lapse(s).")
