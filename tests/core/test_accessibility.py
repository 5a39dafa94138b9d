"""What the new-user trial tripped on, held in place: filters that say Any / Yes / No and tick boxes instead
of Ctrl-click lists (on every list), list tables that carry their labels to a phone and keep references on
one line, the Reference menu, and the accessibility furniture of every page (skip link, favicon, panel
headings, charts with a name and a table, the error summary of a refused form).

The real-browser check with axe-core is tests/e2e/test_accessibility.py."""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser
from typing import Any

import django_filters
import pandas as pd
import pytest
from django import forms
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core import charts
from core.filters import AnyYesNoSelect, CheckboxList, present_filter_form
from core.models import User
from core.registry import nav_for, nav_menu_for
from core.roles import ALL_ROLES
from core.tables import Column, ColumnKind
from core.templatetags.ui import cell_class
from core.views.generic import FilteredListView
from tests.factories import UserFactory
from tests.prosecutions.factories import charged_case

# --- The filter widgets --------------------------------------------------------------------------------


class _SampleFilter(django_filters.FilterSet):
    """Filters as the apps declare them: django-filter's plain ones."""

    flagged = django_filters.BooleanFilter(label="Flagged")
    stage = django_filters.MultipleChoiceFilter(choices=[("trial", "Trial"), ("judgment", "Judgment")])
    opened = django_filters.DateFromToRangeFilter(label="Opened between")

    class Meta:
        model = User
        fields: list[str] = []


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no <select name={name}> in {html!r}"
    return re.findall(r">([^<]*)</option>", select.group(1))


def test_a_yes_no_filter_offers_any_yes_and_no_never_unknown(db: None) -> None:
    form = present_filter_form(_SampleFilter(None, queryset=User.objects.none()).form)
    assert isinstance(form.fields["flagged"].widget, AnyYesNoSelect)
    html = str(form["flagged"])
    assert _options(html, "flagged") == ["Any", "Yes", "No"]
    assert "Unknown" not in html


@pytest.mark.parametrize(
    ("sent", "meant", "shown"),
    [("true", True, "true"), ("false", False, "false"), ("", None, ""), ("2", True, "true"), ("3", False, "false")],
)
def test_a_yes_no_filter_reads_its_value_and_shows_it_chosen(db: None, sent: str, meant: Any, shown: str) -> None:
    """Our values, and Django's older "2"/"3" from bookmarked addresses, mean the same thing."""
    filterset = _SampleFilter({"flagged": sent}, queryset=User.objects.none())
    form = present_filter_form(filterset.form)
    assert form.is_valid()
    assert form.cleaned_data["flagged"] is meant
    assert re.search(rf'<option value="{shown}" selected>', str(form["flagged"]))


def test_a_several_choice_filter_is_a_list_of_checkboxes_that_keeps_what_was_ticked(db: None) -> None:
    filterset = _SampleFilter({"stage": ["judgment"]}, queryset=User.objects.none())
    form = present_filter_form(filterset.form)
    assert isinstance(form.fields["stage"].widget, CheckboxList)
    html = str(form["stage"])
    assert "<select" not in html and "multiple" not in html
    assert re.search(r'<input type="checkbox" name="stage" value="trial"[^>]*>', html)
    ticked = re.search(r'<input type="checkbox" name="stage" value="judgment"[^>]*>', html)
    assert ticked and "checked" in ticked.group(0)
    assert form.is_valid() and form.cleaned_data["stage"] == ["judgment"]


def test_each_input_of_a_range_filter_has_its_own_name_for_screen_readers(db: None) -> None:
    form = present_filter_form(_SampleFilter(None, queryset=User.objects.none()).form)
    html = str(form["opened"])
    assert 'aria-label="Opened between: from"' in html and 'aria-label="Opened between: to"' in html


def test_presenting_a_form_twice_changes_nothing_more(db: None) -> None:
    form = present_filter_form(_SampleFilter(None, queryset=User.objects.none()).form)
    widgets = {name: field.widget for name, field in form.fields.items()}
    present_filter_form(form)
    assert {name: field.widget for name, field in form.fields.items()} == widgets
    assert str(form["opened"]).count("aria-label=") == 2


def _list_urls() -> list[str]:
    """Every list page (a FilteredListView) whose address takes no record."""

    def walk(patterns: list[Any], namespace: str = "") -> list[str]:
        found: list[str] = []
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                found += walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.regex.groupindex:
                view = getattr(pattern.callback, "view_class", None)
                if view is not None and issubclass(view, FilteredListView):
                    found.append(f"{namespace}{pattern.name}")
        return found

    return sorted(walk(get_resolver().url_patterns))


LIST_URLS = _list_urls()


def test_the_list_pages_are_found() -> None:
    assert {"prosecutions:case_list", "assets:deadline_list", "trustfund:disbursement_list"} <= set(LIST_URLS)


@pytest.fixture
def everyone(db: None) -> User:
    """A user holding every role, who opens every list."""
    return UserFactory.create(username="everyone", roles=sorted(ALL_ROLES))


@pytest.mark.parametrize("name", LIST_URLS)
def test_every_list_has_no_ctrl_click_box_and_no_unknown(client: Client, everyone: User, name: str) -> None:
    client.force_login(everyone)
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    form = re.search(r'<form method="get".*?</form>', html, re.S)
    assert form, "the list has a filter form"
    assert not re.search(r"<select[^>]*\bmultiple\b", form.group(0))
    assert ">Unknown<" not in form.group(0)
    for field in response.context["filter"].form.fields.values():
        assert not isinstance(field.widget, forms.SelectMultiple) or isinstance(field.widget, CheckboxList)
        assert not isinstance(field, forms.NullBooleanField) or isinstance(field.widget, AnyYesNoSelect)


def test_the_case_list_stage_filter_ticks_and_filters(client: Client, prosecutor: User) -> None:
    charged_case(prosecutor, title="Republic v. Ticked Box")
    client.force_login(prosecutor)
    html = client.get("/cases/", {"stage": "pre_trial"}).content.decode()
    assert re.search(r'<input type="checkbox"[^>]*name="stage" value="pre_trial"[^>]*checked>', html)
    assert not re.search(r'<input type="checkbox"[^>]*name="stage" value="trial"[^>]*checked>', html)
    assert "Republic v. Ticked Box" in html
    html = client.get("/cases/", {"stage": "trial"}).content.decode()
    assert "Republic v. Ticked Box" not in html
    assert 'data-testid="filters-described"> · Stage: Trial</span>' in html


def test_the_deadlines_yes_no_filter_says_any_yes_no(client: Client, prosecutor: User) -> None:
    client.force_login(prosecutor)
    html = client.get("/assets/deadlines/", {"mine": "true"}).content.decode()
    assert _options(html, "mine") == ["Any", "Yes", "No"]
    assert '<option value="true" selected>Yes</option>' in html


# --- List tables ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "text", "expected"),
    [
        (Column("reference", "Reference", link=True), "ODPP/CTIP/2026/0007", "text-nowrap"),
        (Column("receipt", "Receipt"), "RCT/2026-27/0004", "text-nowrap"),
        (Column("victim", "Victim"), "V-2026-0044", "text-nowrap"),
        (Column("seized_on", "Seized on", kind=ColumnKind.DATE), "25 Nov 2026", "text-nowrap"),
        (Column("amount", "Amount", kind=ColumnKind.MONEY), "KES 1,250,000.00", "cell-num"),
        (Column("court", "Court"), "—", "cell-empty"),
        (Column("title", "Title"), "Republic v. Brian Barasa and 3 others", "cell-prose"),
        (Column("particulars", "Particulars"), "Recruited " * 10, "cell-long"),
        (Column("stage", "Stage"), "Pre-trial", "text-nowrap"),
        (Column("court", "Court"), "JKIA Principal Court", ""),
        (Column("case", "Case"), '<a href="/cases/7/">ODPP/CTIP/2026/0007</a>', "text-nowrap"),
    ],
)
def test_cells_keep_references_whole_and_numbers_aligned(column: Column, text: str, expected: str) -> None:
    assert cell_class(column, text) == expected


def test_each_list_cell_carries_its_column_label_for_the_phone_layout(client: Client, prosecutor: User) -> None:
    case = charged_case(prosecutor)
    client.force_login(prosecutor)
    html = client.get("/cases/").content.decode()
    row = re.search(rf'<tr data-row="{case.pk}">(.*?)</tr>', html, re.S)
    assert row
    assert (
        f'<td data-label="ODPP file number" class="text-nowrap"><a href="/cases/{case.pk}/">{case.reference}</a>'
        in (row.group(1))
    )
    assert 'data-label="Title"' in row.group(1) and 'data-label="Opened on"' in row.group(1)
    assert '<table class="table table-sm table-hover align-middle list-table table-stack"' in html
    assert '<caption class="visually-hidden">Cases</caption>' in html


# --- Navigation: the Reference menu --------------------------------------------------------------------


def test_counties_sit_under_the_reference_menu(client: Client, prosecutor: User) -> None:
    entries = nav_menu_for(prosecutor)
    reference = next(entry for entry in entries if entry.key == "reference")
    assert reference.label == "Reference" and [item.key for item in reference.items] == ["counties", "imports"]
    # Every other menu gathers the sections that name it; every other entry is one section of no menu.
    assert all(item.menu == entry.key for entry in entries if entry.is_menu for item in entry.items)
    assert all(not entry.items[0].menu for entry in entries if not entry.is_menu)
    client.force_login(prosecutor)
    html = client.get("/").content.decode()
    menu = re.search(r'data-menu="reference">Reference</button>\s*<ul class="dropdown-menu">(.*?)</ul>', html, re.S)
    assert menu and 'data-section="counties" href="/counties/"' in menu.group(1)
    assert re.findall(r'data-section="([^"]+)"', html) == [item.key for item in nav_for(prosecutor)]


def test_the_page_in_view_is_marked_current_in_the_menu(client: Client, prosecutor: User) -> None:
    client.force_login(prosecutor)
    html = client.get("/counties/").content.decode()
    assert 'data-section="counties" href="/counties/" aria-current="page"' in html
    assert 'data-section="cases" href="/cases/" aria-current' not in html


# --- Every page: skip link, landmarks, favicon ---------------------------------------------------------


class _Focusables(HTMLParser):
    """The focusable elements of a page's body, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.in_body = False
        self.found: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.in_body = True
        elif (
            self.in_body
            and (tag in ("a", "button", "input", "select", "textarea") or ("tabindex", "0") in attrs)
            and not (tag == "input" and dict(attrs).get("type") == "hidden")
        ):
            self.found.append({"tag": tag, **dict(attrs)})


def _first_focusable(html: str) -> dict[str, str | None]:
    parser = _Focusables()
    parser.feed(html)
    return parser.found[0]


@pytest.mark.parametrize("url", ["/", "/cases/", "/counties/", "/accounts/login/"])
def test_the_first_thing_the_keyboard_reaches_is_the_skip_link(client: Client, prosecutor: User, url: str) -> None:
    if url != "/accounts/login/":
        client.force_login(prosecutor)
    html = client.get(url).content.decode()
    first = _first_focusable(html)
    assert first["tag"] == "a" and first["href"] == "#main" and first.get("data-testid") == "skip-link"
    assert ">Skip to main content</a>" in html
    assert re.search(r'<main [^>]*id="main"', html)


def test_every_page_names_its_icon_and_the_icon_is_there(client: Client, prosecutor: User) -> None:
    client.force_login(prosecutor)
    html = client.get("/").content.decode()
    assert re.search(r'<link rel="icon" href="/static/favicon[^"]*\.svg" type="image/svg\+xml">', html)
    assert re.search(r'<link rel="alternate icon" href="/static/favicon[^"]*\.ico"', html)
    svg = finders.find("favicon.svg")
    ico = finders.find("favicon.ico")
    assert svg and ico
    with open(svg, encoding="utf-8") as drawing:
        assert "<title>CTIP Case Tracker</title>" in drawing.read()
    with open(ico, "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file's signature


def test_favicon_ico_at_the_root_leads_to_the_icon_without_signing_in(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert re.fullmatch(r"/static/favicon[^/]*\.ico", response["Location"])
    assert client.post("/favicon.ico").status_code == 405


# --- Home panels and charts ----------------------------------------------------------------------------


def test_home_panel_titles_are_headings_under_the_page_heading(client: Client, prosecutor: User) -> None:
    charged_case(prosecutor)
    client.force_login(prosecutor)
    html = client.get("/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    levels = [int(level) for level in re.findall(r"<h([1-6])\b", main)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), f"a heading level is skipped: {levels}"
    assert re.search(
        r'<section class="card h-100" data-panel="welcome" aria-labelledby="panel-welcome-title">\s*'
        r'<h2 class="card-header[^"]*" id="panel-welcome-title">Your roles</h2>',
        html,
    )


def _render_chart(spec: dict[str, Any], label: str = "Open cases by stage") -> str:
    return Template('{% load charts %}{% vega_chart "x" spec label %}').render(Context({"spec": spec, "label": label}))


def test_a_chart_is_a_named_image_followed_by_its_figures_as_a_table() -> None:
    frame = pd.DataFrame([{"stage": "Trial", "count": 12}, {"stage": "Appeal", "count": 3}])
    html = _render_chart(charts.bar(frame, "stage", "count", category_title="Stage", value_title="Open cases"))
    assert 'role="img" aria-label="Open cases by stage"' in html
    assert '"description": "Open cases by stage"' in html  # vega-embed names its drawing with it too
    table = re.search(
        r'<details class="chart-data" data-testid="chart-data-x"><summary>Show the figures</summary>(.*?)'
        r"</details>",
        html,
        re.S,
    )
    assert table
    assert '<caption class="visually-hidden">Open cases by stage</caption>' in table.group(1)
    assert '<th scope="col">Stage</th><th scope="col" class="num">Open cases</th>' in table.group(1)
    assert '<tr><th scope="row">Trial</th><td class="num">12</td></tr>' in table.group(1)


def test_a_chart_of_several_measures_has_a_column_per_measure() -> None:
    frame = pd.DataFrame(
        [{"year": "2025", "charged": 4, "convicted": 2.5}, {"year": "2026", "charged": 1200, "convicted": 0}]
    )
    spec = charts.grouped_bar(frame, "year", {"charged": "Charged", "convicted": "Convicted"}, category_title="Year")
    table = charts.chart_table(spec)
    assert table is not None
    assert table.header == ["Year", "Charged", "Convicted"]
    assert table.rows == [["2025", "4", "2.50"], ["2026", "1,200", "0"]]


def test_a_donut_and_a_line_give_their_figures_too() -> None:
    donut = charts.donut(pd.DataFrame([{"sex": "Female", "n": 7}, {"sex": "Male", "n": 0}]), "sex", "n")
    assert charts.chart_table(donut) is not None and charts.chart_table(donut).rows == [["Female", "7"]]  # type: ignore[union-attr]
    line = charts.line(pd.DataFrame([{"day": "2026-07-01", "bal": 10.0}]), "day", {"bal": "Balance"}, temporal=True)
    assert charts.chart_table(line).rows == [["2026-07-01", "10"]]  # type: ignore[union-attr]


def test_an_empty_chart_has_no_table_and_a_missing_one_draws_nothing() -> None:
    assert charts.chart_table(charts.empty("Nothing")) is None
    assert "<details" not in _render_chart(charts.empty("Nothing"))
    assert _render_chart({}) == ""


def test_chart_figures_are_escaped() -> None:
    html = _render_chart(charts.bar(pd.DataFrame([{"a": "<b>x</b>", "b": 1}]), "a", "b"))
    assert "<b>x</b>" not in html.split("</script>")[-1] and "&lt;b&gt;x&lt;/b&gt;" in html


# --- The error summary of a refused form ---------------------------------------------------------------


def test_a_refused_form_opens_with_a_summary_linking_to_each_field(client: Client, prosecutor: User) -> None:
    client.force_login(prosecutor)
    url = reverse("prosecutions:case_create")
    assert 'data-testid="error-summary"' not in client.get(url).content.decode()
    response = client.post(url, {"title": "", "opened_on": "2026-01-05"})
    assert response.status_code == 200
    html = response.content.decode()
    summary = re.search(r'<section class="alert alert-danger error-summary"[^>]*>(.*?)</section>', html, re.S)
    assert summary
    assert "data-focus-on-load" in html[summary.start() : summary.start() + 200]
    main = html[html.index("<main") :]
    assert main.index("error-summary") < main.index("<form")
    assert '<a class="alert-link" href="#id_title">Title: This field is required.</a>' in summary.group(1)
    assert '<a class="alert-link" href="#id_county">County: This field is required.</a>' in summary.group(1)
    assert 'id="id_title"' in html and 'id="id_county"' in html
    problems = sum(len(errors) for errors in response.context["form"].errors.values())
    assert problems >= 2 and summary.group(1).count("<li>") == problems
    assert f"there are {problems} problems" in summary.group(1)


def test_a_form_wide_error_is_in_the_summary_without_a_link() -> None:
    class _Form(forms.Form):
        day = forms.DateField(label="Day")

        def clean(self) -> dict[str, Any]:
            raise forms.ValidationError("This case changed since you opened the form.")

    form = _Form({"day": "not a date"})
    html = Template("{% load ui %}{% error_summary form %}").render(Context({"form": form}))
    assert "<li>This case changed since you opened the form.</li>" in html
    assert '<a class="alert-link" href="#id_day">Day: Enter a valid date.</a>' in html
    assert "there are 2 problems" in html
    assert Template("{% load ui %}{% error_summary form %}").render(Context({"form": _Form()})).strip() == ""
