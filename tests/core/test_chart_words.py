"""Charts read in the reader's language: Vega's date axes get the month and day names Django translates
(``vega-words``, passed to vega-embed as its time-format locale), the "could not be drawn" sentence is
translated, and the dashboards' week labels name months in the reader's language."""

from __future__ import annotations

import datetime as dt
import json
import re

from django.utils import translation

from core.charts import weekly_counts
from core.templatetags.charts import time_locale, vega_scripts

WORDS = re.compile(r'<script id="vega-words" type="application/json">(.*?)</script>', re.S)


def _words(html: str) -> dict[str, object]:
    found = WORDS.search(html)
    assert found, "the chart scripts come without the reader's words"
    words: dict[str, object] = json.loads(found.group(1))
    return words


def test_the_chart_scripts_carry_the_readers_month_and_day_names() -> None:
    with translation.override("sw"):
        words = _words(str(vega_scripts()))
    time = words["time"]
    assert isinstance(time, dict)
    assert time["months"][2] == "Machi" and time["months"][11] == "Disemba"
    assert time["days"][0] == "Jumapili"  # d3 weeks start on Sunday
    assert len(time["shortMonths"]) == 12 and len(time["shortDays"]) == 7
    assert words["failed"] == "Chati hii haikuweza kuchorwa; takwimu ziko kwenye majedwali."
    with translation.override("en-gb"):
        english = _words(str(vega_scripts()))
    assert english["time"]["months"][2] == "March"  # type: ignore[index]
    assert english["failed"] == "This chart could not be drawn; the figures are in the tables."
    # the words come before charts.js, which reads them when it loads
    html = str(vega_scripts())
    assert html.index('id="vega-words"') < html.index("js/charts.js")


def test_the_time_locale_has_every_field_vega_needs() -> None:
    with translation.override("sw"):
        locale = time_locale()
    assert set(locale) == {"dateTime", "date", "time", "periods", "days", "shortDays", "months", "shortMonths"}


def test_week_labels_name_the_month_in_the_readers_language() -> None:
    today = dt.date(2026, 3, 2)
    with translation.override("sw"):
        frame = weekly_counts([(today, 2), (today + dt.timedelta(days=8), 1)], today, 3)
    assert list(frame["week"]) == ["02 Machi", "09 Machi", "16 Machi"]
    assert list(frame["count"]) == [2, 1, 0]
    with translation.override("en-gb"):
        english = weekly_counts([], today, 2)
    assert list(english["week"]) == ["02 Mar", "09 Mar"]
