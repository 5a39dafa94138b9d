"""iCalendar (RFC 5545) text for calendar feeds: events, one time zone, written by hand.

What RFC 5545 asks of the text, and this module does: lines end with CRLF (3.1); a line longer than 75
octets is folded, the continuation starting with one space (3.1), never splitting a UTF-8 character; in
TEXT values a backslash, semicolon, comma and newline are escaped (3.3.11) and other control characters
dropped; DTSTAMP is in UTC (3.8.7.2); an event with a date and no time is an all-day event whose DTEND is
the next day (3.6.1); an event at a local time names its time zone, described once in a VTIMEZONE (3.6.5).

A package would do the same (``icalendar``); a feed of a few hundred events a year needs no more than
this, and one dependency fewer is one fewer to keep up to date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

CRLF = "\r\n"
MAX_OCTETS = 75
PRODUCT = "-//ODPP Counter-Trafficking Unit//CTIP Case Tracker//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"
# Control characters TEXT may not hold (RFC 5545 3.3.11: any CTL except HTAB); newlines are escaped first.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape_text(value: str) -> str:
    """A TEXT property value: backslash, semicolon, comma and newlines escaped, other controls dropped."""
    text = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return _CONTROL.sub("", text)


# What a fold never splits: a character, or an escape such as ``\n`` (RFC 5545 allows folding anywhere, but
# some calendar apps misread an escape split across lines).
_UNIT = re.compile(r"\\.|.", re.DOTALL)


def fold(line: str) -> str:
    """One content line folded at 75 octets (continuations start with a space, which counts), CRLF-ended."""
    pieces: list[str] = []
    current, size, limit = "", 0, MAX_OCTETS
    for unit in _UNIT.findall(line):
        width = len(unit.encode())
        if size + width > limit:
            pieces.append(current)
            current, size, limit = "", 0, MAX_OCTETS - 1
        current += unit
        size += width
    pieces.append(current)
    return (CRLF + " ").join(pieces) + CRLF


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(moment: dt.datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


@dataclass(frozen=True)
class Event:
    """One VEVENT. ``start`` a date: an all-day event; a naive datetime: a local time in the calendar's
    time zone, lasting ``length``."""

    uid: str
    stamp: dt.datetime  # aware: when the event's information last changed
    summary: str
    start: dt.date | dt.datetime
    length: dt.timedelta = dt.timedelta(hours=1)
    location: str = ""
    description: str = ""
    url: str = ""

    def lines(self, tzid: str) -> list[str]:
        lines = ["BEGIN:VEVENT", f"UID:{self.uid}", f"DTSTAMP:{_utc(self.stamp)}", f"LAST-MODIFIED:{_utc(self.stamp)}"]
        if isinstance(self.start, dt.datetime):
            end = self.start + self.length
            lines += [f"DTSTART;TZID={tzid}:{_local(self.start)}", f"DTEND;TZID={tzid}:{_local(end)}"]
        else:
            following = self.start + dt.timedelta(days=1)
            lines += [f"DTSTART;VALUE=DATE:{self.start:%Y%m%d}", f"DTEND;VALUE=DATE:{following:%Y%m%d}"]
        lines.append(f"SUMMARY:{escape_text(self.summary)}")
        if self.location:
            lines.append(f"LOCATION:{escape_text(self.location)}")
        if self.description:
            lines.append(f"DESCRIPTION:{escape_text(self.description)}")
        if self.url:
            lines.append(f"URL:{self.url}")
        lines += ["STATUS:CONFIRMED", "TRANSP:OPAQUE", "END:VEVENT"]
        return lines


def _timezone(tzid: str) -> list[str]:
    """A VTIMEZONE for a zone without daylight saving (Africa/Nairobi: East Africa Time, UTC+3 all year)."""
    now = dt.datetime.now(ZoneInfo(tzid))
    offset = now.utcoffset() or dt.timedelta()
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    text = f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"
    return [
        "BEGIN:VTIMEZONE",
        f"TZID:{tzid}",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        f"TZOFFSETFROM:{text}",
        f"TZOFFSETTO:{text}",
        f"TZNAME:{now.tzname()}",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]


def calendar_text(events: Iterable[Event], *, name: str, tzid: str, refresh: dt.timedelta) -> str:
    """A whole VCALENDAR: the events in the time zone ``tzid``, refreshed by subscribers every ``refresh``."""
    hours = max(int(refresh.total_seconds()) // 3600, 1)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"NAME:{escape_text(name)}",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-TIMEZONE:{tzid}",
        f"REFRESH-INTERVAL;VALUE=DURATION:PT{hours}H",
        f"X-PUBLISHED-TTL:PT{hours}H",
        *_timezone(tzid),
    ]
    for event in events:
        lines += event.lines(tzid)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)
