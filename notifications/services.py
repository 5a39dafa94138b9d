"""Telling people: making notifications once, queueing their e-mail, sending the outbox, the daily digest,
preferences and marking read. No HTTP here; the event builders (``notifications.events``) and the schedule
(``notifications.schedule``) call these.

Idempotence: a notification's ``key`` names the event, the record and the occasion, and the database holds
one notification per person and key (``notifications_once_per_person``); an immediate e-mail is made in the
same transaction as its notification, and each outbox e-mail has a unique key of its own. A re-run, or two
workers at once, therefore tell nobody twice.

Language: each person is told in their own (``User.language``, else the site's): a notification's title
and body, its e-mail and the daily digest are written under ``translation.override`` for the recipient.
What is stored stays in the language it was written in.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core.models import User
from core.translations import language_of, lazy_date
from jobs.outcome import Outcome
from notifications.choices import DEADLINE_EVENTS, Delivery, EmailMode, Event, OutboxStatus
from notifications.exceptions import NotificationError
from notifications.models import Notification, NotificationPreference, OutboxEmail

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "CTIP: "
MAX_BACKOFF = dt.timedelta(hours=1)


# A message's text: a plain string, or a lazy one (gettext_lazy, core.translations.lazy_format) written in
# each recipient's language when their notification is made.
Text = str | Promise


@dataclass(frozen=True)
class Message:
    """What to tell people about one event. ``title`` is the line in the tracker and the e-mail's subject:
    it names the record by reference and carries no protected identity, no victim detail beyond a code and
    no amount. ``always_email`` are the people (lead prosecutors, for deadline alerts) whose e-mail cannot
    be turned off. ``title``, ``body`` and ``reference`` may be lazy (``core.translations.lazy_format``):
    they are written in each recipient's language."""

    event: Event
    key: str
    title: Text
    reference: Text
    url: str
    body: Text = ""
    always_email: frozenset[int] = field(default_factory=frozenset)


def site_url(path: str) -> str:
    """An absolute address on this site, for e-mails (``SITE_URL``)."""
    base: str = settings.SITE_URL
    return base.rstrip("/") + path


def email_mode(user: User) -> str:
    preference = NotificationPreference.objects.filter(user_id=user.pk).values_list("email_mode", flat=True).first()
    return preference or EmailMode.IMMEDIATE


def _delivery(user: User, message: Message) -> str:
    if not user.email:
        return Delivery.NO_ADDRESS
    mode = email_mode(user)
    if mode == EmailMode.OFF and message.event in DEADLINE_EVENTS and user.pk in message.always_email:
        mode = EmailMode.IMMEDIATE
    if mode == EmailMode.IMMEDIATE:
        return Delivery.QUEUED
    return Delivery.DIGEST if mode == EmailMode.DIGEST else Delivery.IN_APP


def _greeting(user: User) -> str:
    return _("Dear %(name)s,") % {"name": user.get_full_name() or user.username}


def _footer() -> list[str]:
    return [
        "",
        "--",
        _("CTIP Case Tracker. You are told this because of your work on the record above."),
        _("How you are told: %(url)s") % {"url": site_url(reverse("notifications:preferences"))},
    ]


def _email_body(user: User, notification: Notification) -> str:
    """The e-mail of one notification, in the active language (the recipient's: ``notify`` sees to it)."""
    lines = [_greeting(user), "", notification.title]
    if notification.body:
        lines += ["", notification.body]
    lines += [
        "",
        _("Reference: %(reference)s") % {"reference": notification.reference},
        _("Open it: %(url)s") % {"url": site_url(notification.url)},
        *_footer(),
    ]
    return "\n".join(lines)


def _queue(key: str, user: User, subject: str, body: str) -> OutboxEmail:
    return OutboxEmail.objects.create(
        key=key,
        recipient=user,
        to_address=user.email,
        subject=Truncator(SUBJECT_PREFIX + subject).chars(200),
        body=body,
        next_attempt_at=timezone.now(),
    )


def notify(recipients: Iterable[User], message: Message) -> list[Notification]:
    """Tell each active recipient about ``message`` once: the notification, and its e-mail when they want it
    at once. Returns the notifications made now (not those made before for the same key)."""
    made = []
    seen: set[int] = set()
    for user in recipients:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        delivery = _delivery(user, message)
        try:
            with transaction.atomic(), translation.override(language_of(user)):
                notification = Notification.objects.create(
                    recipient=user,
                    event=message.event,
                    key=message.key,
                    title=Truncator(str(message.title)).chars(200),
                    body=str(message.body),
                    reference=str(message.reference)[:60],
                    url=message.url,
                    delivery=delivery,
                )
                if delivery == Delivery.QUEUED:
                    notification.email = _queue(
                        f"notification:{notification.pk}", user, notification.title, _email_body(user, notification)
                    )
                    notification.save(update_fields=["email"])
        except IntegrityError:
            continue  # told before (a re-run, or another worker): never twice
        made.append(notification)
    return made


# --------------------------------------------------------------------------------------------------
# The outbox


def backoff(attempts: int) -> dt.timedelta:
    """How long to wait after ``attempts`` refused sends: 1, 2, 4 … minutes, at most an hour."""
    return min(dt.timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def send_outbox(now: dt.datetime | None = None, limit: int = 200) -> Outcome:
    """Send the e-mails that are due. One refused by the mail server stays queued and is tried again later
    (back-off); each is locked while it is sent, so two workers never send the same one."""
    now = now or timezone.now()
    due = list(
        OutboxEmail.objects.filter(status=OutboxStatus.QUEUED, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    sent = refused = 0
    connection = get_connection(fail_silently=False)
    for pk in due:
        with transaction.atomic():
            email = (
                OutboxEmail.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=OutboxStatus.QUEUED, next_attempt_at__lte=now)
                .first()
            )
            if email is None:
                continue  # another worker has it, or sent it
            email.attempts += 1
            try:
                EmailMessage(
                    email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to_address], connection=connection
                ).send()
            except Exception as error:  # noqa: BLE001 — whatever the mail backend raises, the e-mail stays queued
                email.next_attempt_at = now + backoff(email.attempts)
                email.last_error = Truncator(f"{type(error).__name__}: {error}").chars(500)
                email.save(update_fields=["attempts", "next_attempt_at", "last_error"])
                logger.warning("E-mail %s refused (attempt %s): %s", email.pk, email.attempts, email.last_error)
                refused += 1
                continue
            email.status = OutboxStatus.SENT
            email.sent_at = timezone.now()
            email.last_error = ""
            email.save(update_fields=["attempts", "status", "sent_at", "last_error"])
            sent += 1
    waiting = OutboxEmail.objects.filter(status=OutboxStatus.QUEUED).count()
    if refused:
        return Outcome.gettext(
            "Sent %(sent)s e-mail(s); %(refused)s refused by the mail server, to be retried; %(waiting)s waiting.",
            sent=sent,
            refused=refused,
            waiting=waiting,
        )
    return Outcome.gettext("Sent %(sent)s e-mail(s); %(waiting)s waiting.", sent=sent, waiting=waiting)


def delayed_emails(user: User) -> int:
    """How many of the user's e-mails the mail server has refused so far (still queued, to be retried)."""
    return OutboxEmail.objects.filter(recipient=user, status=OutboxStatus.QUEUED, attempts__gt=0).count()


# --------------------------------------------------------------------------------------------------
# The daily digest


def send_daily_digests(today: dt.date | None = None) -> Outcome:
    """At 07:00 Nairobi time: one e-mail per person who asked for a digest, listing what they were told
    since the last one. One digest per person per day, whatever the number of runs."""
    day = today or timezone.localdate()
    queued = 0
    recipients = User.objects.filter(notifications__delivery=Delivery.DIGEST).distinct()
    for user in recipients:
        with transaction.atomic():
            pending = list(
                Notification.objects.select_for_update()
                .filter(recipient=user, delivery=Delivery.DIGEST)
                .order_by("created_at", "id")
            )
            if not pending:
                continue
            if not user.email:
                Notification.objects.filter(pk__in=[n.pk for n in pending]).update(delivery=Delivery.NO_ADDRESS)
                continue
            key = f"digest:{user.pk}:{day.isoformat()}"
            if OutboxEmail.objects.filter(key=key).exists():
                continue  # today's digest is made: these wait for tomorrow's
            with translation.override(language_of(user)):
                subject, body = _digest(user, day, pending)
            email = _queue(key, user, subject, body)
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(delivery=Delivery.DIGESTED, email=email)
            queued += 1
    return Outcome.ngettext(
        "Queued %(count)s daily digest for %(date)s.",
        "Queued %(count)s daily digests for %(date)s.",
        "count",
        count=queued,
        date=day,
    )


def _digest(user: User, day: dt.date, pending: list[Notification]) -> tuple[str, str]:
    """The digest's subject and body, in the active language (the recipient's). The notifications' own
    lines are as they were written to the person."""
    count = len(pending)
    lines = [
        _greeting(user),
        "",
        _("What the CTIP Case Tracker told you since your last digest (%(count)s):") % {"count": count},
        "",
    ]
    for notification in pending:
        lines += [f"- {notification.title}", f"  {notification.reference}: {site_url(notification.url)}"]
    everything = site_url(reverse("notifications:notification_list"))
    lines += ["", _("All your notifications: %(url)s") % {"url": everything}, *_footer()]
    subject = _("Daily digest for %(date)s (%(count)s)") % {"date": lazy_date(day), "count": count}
    return subject, "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# Reading and preferences


def mark_read(notification: Notification, user: User) -> Notification:
    """The recipient has opened it."""
    if notification.recipient_id != user.pk:
        raise NotificationError(_("This notification is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def mark_all_read(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def set_email_mode(user: User, mode: str, by: User | None = None) -> NotificationPreference:
    """Set how ``user`` wants e-mail. Deadline alerts still reach a lead prosecutor by e-mail if it is off."""
    if mode not in EmailMode.values:
        raise NotificationError(_("Choose how you want to be told by e-mail."), "email_mode")
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    if preference.email_mode != mode:
        preference.email_mode = mode
        preference.save_as(by or user, "E-mail preference changed", update_fields=["email_mode", "updated_at"])
    return preference
