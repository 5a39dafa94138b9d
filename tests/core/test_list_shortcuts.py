"""The case list's per-page shortcuts give what the long way gives: a row's link made from one reversed URL
(``core.tables.DetailUrl``) is its ``get_absolute_url()`` under any script prefix and language, and fixed
filter choices (``core.filters.FixedChoices``) follow the language of the request."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, clear_script_prefix, set_script_prefix
from django.utils import translation

from core.filters import FixedChoices
from core.tables import DetailUrl
from prosecutions.choices import Stage
from prosecutions.tables import case_url
from tests.prosecutions.factories import make_case


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["/", "/ctip/"])
@pytest.mark.parametrize("language", ["en", "sw"])
def test_a_rows_link_is_its_own_page_address(prosecutor, prefix: str, language: str) -> None:
    cases = [make_case(prosecutor, title=f"Republic v. Accused {n}") for n in range(3)]
    set_script_prefix(prefix)
    try:
        with translation.override(language):
            url = case_url.bound()
            for case in cases:
                assert url(case) == case.get_absolute_url()
                assert url(case).startswith(prefix)
    finally:
        clear_script_prefix()


def test_a_view_that_does_not_take_the_key_is_refused_loudly() -> None:
    with pytest.raises(NoReverseMatch):
        DetailUrl("prosecutions:case_list").bound()


def test_fixed_choices_are_shared_and_follow_the_language() -> None:
    choices = FixedChoices(Stage)
    with translation.override("en"):
        english = choices()
        assert english is choices()  # translated once per language, the same list for every form
    with translation.override("sw"):
        kiswahili = choices()
        labels_in_kiswahili = [str(label) for label in Stage.labels]
    assert [value for value, _ in english] == [value for value, _ in kiswahili] == list(Stage.values)
    assert [label for _, label in english] == [str(label) for label in Stage.labels]
    assert [label for _, label in kiswahili] == labels_in_kiswahili != [label for _, label in english]
