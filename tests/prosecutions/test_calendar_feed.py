"""The personal calendar feed: the page that creates (showing the address once) and revokes it, and the
iCalendar file at the secret address — well-formed RFC 5545, the user's own hearings only, nothing about
victims, protected witnesses, court measures or notes, refused once revoked or once its owner may no
longer read cases."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from core.models import RoleGrant
from core.roles import Role
from prosecutions import ical, services
from prosecutions.models import CalendarFeed, Case
from prosecutions.services import hearings as hearing_services
from tests.factories import granting_officers
from tests.prosecutions.factories import case_at_trial, charged_case, days_ago
from tests.witnesses.factories import admitted, court_measures, markers, with_identity, witness_on

pytestmark = pytest.mark.django_db

FEED_PAGE = reverse("prosecutions:calendar_feed")


# --- a strict reader of iCalendar text, written from RFC 5545 -------------------------------------


@dataclass
class Component:
    name: str
    properties: list[tuple[str, dict[str, str], str]] = field(default_factory=list)
    children: list[Component] = field(default_factory=list)

    def get(self, name: str) -> str:
        values = [value for prop, _, value in self.properties if prop == name]
        assert len(values) == 1, f"{self.name} has {len(values)} {name}"
        return values[0]

    def params(self, name: str) -> dict[str, str]:
        return next(params for prop, params, _ in self.properties if prop == name)

    def all(self, name: str) -> list[Component]:
        return [child for child in self.children if child.name == name]


def unfold(text: str) -> list[str]:
    """The content lines: every line ends with CRLF and has at most 75 octets; a line starting with a space
    continues the previous one (RFC 5545 3.1)."""
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    lines: list[str] = []
    for line in physical:
        assert "\n" not in line and "\r" not in line, "a bare line break"
        assert len(line.encode()) <= 75, f"a line of {len(line.encode())} octets: {line!r}"
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def unescape(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars)
            assert following in "\\;,nN", f"bad escape \\{following}"
            out.append("\n" if following in "nN" else following)
        else:
            assert char not in ";,", f"an unescaped {char!r} in a TEXT value {value!r}"
            out.append(char)
    return "".join(out)


TEXT_PROPERTIES = {"SUMMARY", "LOCATION", "DESCRIPTION", "NAME", "X-WR-CALNAME"}


def parse(text: str) -> Component:
    """The VCALENDAR, with properties (TEXT values unescaped) and nested components; BEGIN/END balanced."""
    stack: list[Component] = []
    root: Component | None = None
    for line in unfold(text):
        match = re.fullmatch(r"([A-Z-]+)((?:;[A-Z-]+=[^;:]*)*):(.*)", line)
        assert match, f"not a content line: {line!r}"
        name, raw_params, value = match.groups()
        params = dict(part.split("=", 1) for part in raw_params.split(";")[1:])
        if name == "BEGIN":
            component = Component(value)
            if stack:
                stack[-1].children.append(component)
            stack.append(component)
        elif name == "END":
            assert stack and stack[-1].name == value, f"END:{value} does not close {stack[-1].name if stack else None}"
            root = stack.pop()
        else:
            stack[-1].properties.append((name, params, unescape(value) if name in TEXT_PROPERTIES else value))
    assert not stack and root is not None and root.name == "VCALENDAR"
    return root


# --- the writer on its own ------------------------------------------------------------------------


def test_text_values_are_escaped() -> None:
    assert ical.escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"
    assert ical.escape_text("bell\x07 tab\t") == "bell tab\t"


def test_long_lines_are_folded_at_75_octets_without_splitting_a_character() -> None:
    line = "DESCRIPTION:" + "Kiswahili: mahakama ya hakimu — " * 6 + "ñ" * 40
    folded = ical.fold(line)
    physical = folded[:-2].split("\r\n")
    assert all(len(p.encode()) <= 75 for p in physical) and len(physical) > 3
    assert all(p.startswith(" ") for p in physical[1:])
    assert "".join([physical[0], *(p[1:] for p in physical[1:])]) == line
    assert ical.fold("SHORT:x") == "SHORT:x\r\n"


def test_a_fold_never_splits_an_escape() -> None:
    line = "DESCRIPTION:" + "a" * 62 + ical.escape_text("\nb") + "c" * 100
    physical = ical.fold(line)[:-2].split("\r\n")
    assert not any(piece.endswith("\\") for piece in physical[:-1])
    assert physical[1].startswith(" \\n") and len(physical[0].encode()) == 74


def test_a_calendar_is_well_formed_with_timed_and_all_day_events() -> None:
    stamp = dt.datetime(2026, 12, 1, 6, 0, tzinfo=dt.UTC)
    events = [
        ical.Event("a@x", stamp, "Mention: ODPP/CTIP/2026/0001", dt.datetime(2026, 12, 3, 9, 30), location="A, B"),
        ical.Event("b@x", stamp, "Plea; all day", dt.date(2026, 12, 4)),
    ]
    calendar = parse(ical.calendar_text(events, name="Hearings", tzid="Africa/Nairobi", refresh=dt.timedelta(hours=1)))
    assert calendar.get("VERSION") == "2.0" and calendar.get("PRODID")
    zone = calendar.all("VTIMEZONE")[0]
    assert zone.get("TZID") == "Africa/Nairobi" and zone.all("STANDARD")[0].get("TZOFFSETTO") == "+0300"
    timed, all_day = calendar.all("VEVENT")
    assert timed.get("DTSTART") == "20261203T093000" and timed.params("DTSTART") == {"TZID": "Africa/Nairobi"}
    assert timed.get("DTEND") == "20261203T103000" and timed.get("LOCATION") == "A, B"
    assert timed.get("DTSTAMP") == "20261201T060000Z"
    assert all_day.params("DTSTART") == {"VALUE": "DATE"} and all_day.get("DTSTART") == "20261204"
    assert all_day.get("DTEND") == "20261205" and all_day.get("SUMMARY") == "Plea; all day"


# --- the feed page --------------------------------------------------------------------------------


def create_feed(client: Client) -> str:
    """Create a feed on the page; the address it shows, once."""
    response = client.post(FEED_PAGE, {"action": "create"})
    assert response.status_code == 200
    url = response.context["feed_url"]
    assert url in response.content.decode()
    return str(url)


def fetch(client: Client, url: str) -> Any:
    """Fetch the feed as a calendar app does: no session. A new minute each time, past the rate limit."""
    path = url.replace("http://testserver", "")
    CalendarFeed.objects.filter(last_used_at__isnull=False).update(last_used_at=None)
    return Client().get(path)


def test_the_page_creates_shows_once_and_revokes_a_feed_address(client: Client, prosecutor) -> None:
    client.force_login(prosecutor)
    assert "You have no calendar feed address" in client.get(FEED_PAGE).content.decode()
    url = create_feed(client)
    assert re.fullmatch(r"http://testserver/calendar/[A-Za-z0-9_-]{43}\.ics", url)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    again = client.get(FEED_PAGE).content.decode()
    assert token not in again and "A calendar feed address is in use" in again  # shown once only
    assert fetch(client, url).status_code == 200
    assert "A calendar app last fetched it" in client.get(FEED_PAGE).content.decode()

    response = client.post(FEED_PAGE, {"action": "revoke"}, follow=True)
    assert "no longer works" in response.content.decode()
    assert fetch(client, url).status_code == 404
    assert not CalendarFeed.objects.filter(user=prosecutor).exists()


def test_a_new_address_replaces_the_old(client: Client, prosecutor) -> None:
    client.force_login(prosecutor)
    old, new = create_feed(client), create_feed(client)
    assert old != new
    assert fetch(client, old).status_code == 404 and fetch(client, new).status_code == 200


@pytest.mark.parametrize("persona", ["liaison", "auditor", "fund_admin", "stranger"])
def test_only_users_with_a_diary_get_the_page(client: Client, request: Any, persona: str) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(FEED_PAGE).status_code == 403
    assert client.post(FEED_PAGE, {"action": "create"}).status_code == 403
    assert not CalendarFeed.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(FEED_PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- the file at the address ----------------------------------------------------------------------


@pytest.fixture
def scene(prosecutor, other_prosecutor, unit_head, liaison) -> dict[str, Any]:
    """A prosecutor's case with a protected witness and a noted hearing, a case they are on the team of,
    and a case of someone else's."""
    mine = case_at_trial(prosecutor, title="Republic v. Zawadi Kimaro")
    witness = admitted(witness_on(mine, prosecutor, number="PW1"), liaison)
    court_measures(witness, liaison)
    with_identity(witness, liaison, "FEED")
    victim = services.add_victim(mine, prosecutor, exploitation_type="forced_labour", identified_on=days_ago(100))
    timed = services.record_hearing(
        mine,
        prosecutor,
        date=days_ago(-3),
        purpose="hearing",
        time=dt.time(9, 30),
        courtroom="Court 3",
        notes="Victim V-NOTE-SECRET to testify behind a screen",
    )
    untimed = services.record_hearing(mine, prosecutor, date=days_ago(-10), purpose="mention")
    unrecorded = services.record_hearing(mine, prosecutor, date=days_ago(5), purpose="mention")
    too_old = services.record_hearing(mine, prosecutor, date=days_ago(45), purpose="mention")
    team_case = charged_case(other_prosecutor, title="Republic v. Team")
    services.assign_prosecutors(team_case, unit_head, lead_prosecutor=other_prosecutor, team=[prosecutor])
    on_team = services.record_hearing(team_case, other_prosecutor, date=days_ago(-4), purpose="plea")
    theirs = charged_case(other_prosecutor, title="Republic v. Theirs")
    not_mine = services.record_hearing(theirs, other_prosecutor, date=days_ago(-4), purpose="mention")
    return {
        "case": mine,
        "witness": witness,
        "victim": victim,
        "timed": timed,
        "untimed": untimed,
        "unrecorded": unrecorded,
        "too_old": too_old,
        "on_team": on_team,
        "not_mine": not_mine,
        "theirs": theirs,
    }


def feed_of(client: Client, user: Any) -> tuple[Any, str]:
    client.force_login(user)
    url = create_feed(client)
    client.logout()
    return fetch(client, url), url


def events_by_uid(response: Any) -> dict[str, Component]:
    assert response.status_code == 200 and response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = parse(response.content.decode())
    return {event.get("UID"): event for event in calendar.all("VEVENT")}


def uid(hearing: Any) -> str:
    return f"ctip-hearing-{hearing.pk}@ctip-case-tracker"


def test_the_feed_holds_the_users_own_hearings_from_a_month_back_to_a_year_ahead(
    client: Client, prosecutor, scene
) -> None:
    response, _ = feed_of(client, prosecutor)
    events = events_by_uid(response)
    wanted = ("timed", "untimed", "unrecorded", "on_team")
    assert set(events) == {uid(scene[name]) for name in wanted}
    timed = events[uid(scene["timed"])]
    case: Case = scene["case"]
    assert timed.get("SUMMARY") == f"{scene['timed'].get_purpose_display()}: {case.reference}"
    assert timed.params("DTSTART") == {"TZID": "Africa/Nairobi"}
    assert timed.get("DTSTART") == f"{days_ago(-3):%Y%m%d}T093000"
    assert timed.get("LOCATION") == f"{case.court}, Court 3"
    description = timed.get("DESCRIPTION")
    assert f"Case: {case.reference}" in description and "Courtroom: Court 3" in description
    assert "Time: 09:30 East Africa Time" in description
    assert timed.get("URL") == f"http://testserver/cases/{case.pk}/?tab=hearings"
    untimed = events[uid(scene["untimed"])]
    assert untimed.params("DTSTART") == {"VALUE": "DATE"} and untimed.get("DTSTART") == f"{days_ago(-10):%Y%m%d}"
    assert "Time: not given" in untimed.get("DESCRIPTION")
    assert "Outcome: Outcome not recorded" in events[uid(scene["unrecorded"])].get("DESCRIPTION")


def test_uids_are_stable_from_one_fetch_to_the_next(client: Client, prosecutor, scene) -> None:
    first, url = feed_of(client, prosecutor)
    second = fetch(client, url)
    assert list(events_by_uid(first)) == list(events_by_uid(second))


def test_the_feed_leaks_no_victim_witness_identity_measure_or_note(client: Client, prosecutor, scene) -> None:
    response, _ = feed_of(client, prosecutor)
    text = response.content.decode()
    unfolded = "\n".join(unfold(text))
    witness, victim = scene["witness"], scene["victim"]
    for secret in (
        witness.code,
        victim.code,
        "CANARY",
        *markers("FEED").values(),  # the protected identity
        "Zuhura",
        "screen",
        "voice distortion",
        "V-NOTE-SECRET",
        "Zawadi",  # the case title names the accused: the feed carries the file number only
        scene["theirs"].reference,
    ):
        assert secret.lower() not in unfolded.lower(), secret


def test_a_revoked_or_unknown_token_is_404(client: Client, prosecutor, scene) -> None:
    _, url = feed_of(client, prosecutor)
    services.revoke_calendar_feed(prosecutor)
    assert fetch(client, url).status_code == 404
    assert Client().get("/calendar/" + "A" * 43 + ".ics").status_code == 404
    assert Client().get("/calendar/short.ics").status_code == 404


def test_the_feed_is_404_once_the_owner_is_inactive_or_loses_the_role(client: Client, prosecutor, scene) -> None:
    _, url = feed_of(client, prosecutor)
    prosecutor.is_active = False
    prosecutor.save()
    assert fetch(client, url).status_code == 404
    prosecutor.is_active = True
    prosecutor.save()
    assert fetch(client, url).status_code == 200
    officer, _ = granting_officers()
    grant = RoleGrant.objects.get(user=prosecutor, role=Role.PROSECUTOR, status="approved")
    from core.grants import services as grant_services

    grant_services.revoke_grant(grant, officer, reason="Left the unit")
    assert fetch(client, url).status_code == 404


def test_a_signed_in_browser_gets_the_same_feed_without_a_second_factor(client: Client, prosecutor, scene) -> None:
    _, url = feed_of(client, prosecutor)
    client.force_login(prosecutor)
    CalendarFeed.objects.update(last_used_at=None)
    assert client.get(url.replace("http://testserver", "")).status_code == 200


def test_fetching_again_at_once_is_refused_politely(client: Client, prosecutor, scene) -> None:
    _, url = feed_of(client, prosecutor)
    path = url.replace("http://testserver", "")
    again = Client().get(path)
    assert again.status_code == 429 and again["Retry-After"] == str(
        int(hearing_services.FEED_MIN_INTERVAL.total_seconds())
    )
    assert CalendarFeed.objects.get(user=prosecutor).last_used_at is not None


def test_the_feed_is_not_cached_and_only_answers_get_and_head(client: Client, prosecutor, scene) -> None:
    response, url = feed_of(client, prosecutor)
    path = url.replace("http://testserver", "")
    assert "no-store" in response["Cache-Control"]
    CalendarFeed.objects.update(last_used_at=None)
    assert Client().post(path).status_code == 405
    head = Client().head(path)
    assert head.status_code == 200 and head["Content-Type"].startswith("text/calendar")
    assert CalendarFeed.objects.get(user=prosecutor).last_used_at is None  # a check is not a fetch
    assert Client().get(path).status_code == 200
    services.revoke_calendar_feed(prosecutor)
    assert Client().head(path).status_code == 404
