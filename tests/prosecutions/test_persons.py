"""The index of persons: identifiers normalised, persons matched and offered at entry, possible duplicates
listed for the unit head, merges (and their undoing) with history on both, who sees which person, and the
migration that gave every accused recorded before the index a person."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any, cast

import pytest
from django.apps import apps
from django.db import connection

from core import querysets
from core.audit import baseline
from core.audit.chain_verify import verify_chain
from core.audit.integrity import live_tables_match_history
from core.models import AuditLink, User
from prosecutions import services
from prosecutions.choices import IdentifierKind, Sex
from prosecutions.exceptions import CaseNotEditable, InvalidDetails, InvalidIdentifier, MergeNotAllowed
from prosecutions.models import Accused, Case, Person, PersonIdentifier, PersonMerge
from tests.prosecutions.factories import make_accused, make_case

pytestmark = pytest.mark.django_db


def names(matches: list[services.PersonMatch]) -> list[str]:
    return [match.person.name for match in matches]


# --- Normalisation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("0712 345 678", "+254712345678"),
        ("+254 712-345-678", "+254712345678"),
        ("254712345678", "+254712345678"),
        ("+256 772 123456", "+256772123456"),
    ],
)
def test_phone_numbers_written_many_ways_are_stored_in_one(written: str, stored: str) -> None:
    assert services.normalise_phone(written) == stored


@pytest.mark.parametrize("written", ["", "12345", "0712 34", "call me", "+999 123 456 789"])
def test_a_phone_number_that_cannot_be_normalised_is_refused_with_a_clear_message(written: str) -> None:
    with pytest.raises(InvalidIdentifier, match="phone number"):
        services.normalise_phone(written)


@pytest.mark.parametrize(
    ("written", "stored"), [("23456789", "23456789"), ("2345 678", "2345678"), ("23-456-789", "23456789")]
)
def test_national_ids_keep_their_digits_only(written: str, stored: str) -> None:
    assert services.normalise_national_id(written) == stored


@pytest.mark.parametrize("written", ["", "123456", "123456789", "2345678A", "ID 23456789"])
def test_a_national_id_in_the_wrong_format_is_refused(written: str) -> None:
    with pytest.raises(InvalidIdentifier, match="7 or 8 digits"):
        services.normalise_national_id(written)


@pytest.mark.parametrize(("written", "stored"), [("ak1234567", "AK1234567"), ("A 123 4567", "A1234567")])
def test_passports_are_upper_case_letters_and_digits(written: str, stored: str) -> None:
    assert services.normalise_passport(written) == stored


@pytest.mark.parametrize("written", ["", "AB12", "ABCDEFGH", "AK12345678X", "AK12#345"])
def test_a_passport_number_in_the_wrong_format_is_refused(written: str) -> None:
    with pytest.raises(InvalidIdentifier, match="passport number"):
        services.normalise_passport(written)


# --- Creating persons -------------------------------------------------------------------------------


def test_a_person_gets_a_reference_and_normalised_identifiers_once_each(prosecutor: User) -> None:
    person = services.create_person(
        prosecutor,
        name=" Juma Mwakideu ",
        national_ids=["2345 6789", "23456789"],
        passports=["ak1234567"],
        phones=["0712 345 678"],
    )
    assert person.reference.startswith("PER/") and person.reference.endswith("/00001")
    assert person.name == "Juma Mwakideu"
    assert sorted(person.identifiers.values_list("kind", "value")) == [
        (IdentifierKind.NATIONAL_ID, "23456789"),
        (IdentifierKind.PASSPORT, "AK1234567"),
        (IdentifierKind.PHONE, "+254712345678"),
    ]
    assert person.history.get().history_user == prosecutor


def test_a_bad_identifier_saves_nothing(prosecutor: User) -> None:
    with pytest.raises(InvalidIdentifier):
        services.create_person(prosecutor, name="Juma Mwakideu", national_ids=["23456789"], phones=["123"])
    assert not Person.objects.exists() and not PersonIdentifier.objects.exists()


def test_adding_an_accused_without_a_person_makes_one_from_their_details(prosecutor: User) -> None:
    case = make_case(prosecutor)
    accused = make_accused(case, prosecutor, name="Juma Mwakideu", sex=Sex.MALE, id_number="2345-6789")
    person = accused.person
    assert person is not None and person.name == "Juma Mwakideu" and person.sex == Sex.MALE
    assert list(person.identifiers.values_list("value", flat=True)) == ["23456789"]


def test_adding_an_accused_with_an_id_number_in_the_wrong_format_saves_nothing(prosecutor: User) -> None:
    case = make_case(prosecutor)
    with pytest.raises(InvalidIdentifier, match="neither a Kenyan national ID"):
        make_accused(case, prosecutor, name="Juma Mwakideu", id_number="12-AB")
    assert not Accused.objects.filter(case=case).exists() and not Person.objects.exists()


def test_adding_an_accused_as_an_existing_person_links_them(prosecutor: User) -> None:
    first = make_accused(make_case(prosecutor), prosecutor, name="Juma Mwakideu")
    second = make_accused(make_case(prosecutor), prosecutor, name="J. Mwakidheu", person=first.person)
    assert second.person == first.person
    assert Person.objects.count() == 1


def test_one_person_cannot_be_two_accused_on_one_case(prosecutor: User) -> None:
    case = make_case(prosecutor)
    first = make_accused(case, prosecutor, name="Juma Mwakideu")
    with pytest.raises(InvalidDetails, match="already an accused on this case"):
        make_accused(case, prosecutor, name="Juma Mwakideu", person=first.person)


def test_link_accused_changes_which_person_an_accused_is_with_history(prosecutor: User) -> None:
    accused = make_accused(make_case(prosecutor), prosecutor, name="Juma Mwakideu")
    other = make_accused(make_case(prosecutor), prosecutor, name="Juma Mwakidheu")
    assert other.person is not None
    services.link_accused(prosecutor, accused, other.person)
    accused.refresh_from_db()
    assert accused.person == other.person
    assert accused.history.first().history_change_reason == f"Linked to person {other.person.reference}"


def test_only_the_cases_prosecutors_link_its_accused(prosecutor: User, other_prosecutor: User) -> None:
    accused = make_accused(make_case(prosecutor), prosecutor, name="Juma Mwakideu")
    other = make_accused(make_case(other_prosecutor), other_prosecutor, name="Juma Mwakidheu")
    assert other.person is not None
    with pytest.raises(CaseNotEditable):
        services.link_accused(other_prosecutor, accused, other.person)


# --- Matching ---------------------------------------------------------------------------------------


def test_the_same_national_id_comes_first_whatever_the_name(prosecutor: User) -> None:
    case = make_case(prosecutor)
    make_accused(case, prosecutor, name="Juma Mwakideu")
    make_accused(case, prosecutor, name="Hamisi Ali", id_number="23456789")
    matches = services.person_matches(name="Juma Mwakideu", national_ids=["2345 6789"], user=prosecutor)
    assert names(matches) == ["Hamisi Ali", "Juma Mwakideu"]
    assert matches[0].score == 100 and matches[0].reasons == ["same national ID"]


def test_the_same_phone_number_is_found_however_it_is_written(unit_head: User) -> None:
    services.create_person(unit_head, name="Hamisi Ali", phones=["+254 712 345 678"])
    matches = services.person_matches(name="Someone Else", phones=["0712345678"], user=unit_head)
    assert [(m.person.name, m.reasons) for m in matches] == [("Hamisi Ali", ["same phone number"])]


def test_similar_spellings_of_a_name_are_offered_and_different_names_are_not(prosecutor: User) -> None:
    case = make_case(prosecutor)
    make_accused(case, prosecutor, name="Juma Mwakideu")
    make_accused(case, prosecutor, name="Mary Akinyi")
    matches = services.person_matches(name="J. Mwakidheu", user=prosecutor)
    assert names(matches) == ["Juma Mwakideu"]
    assert 80 <= matches[0].score < 100
    assert matches[0].reasons[0].startswith("name ") and "% alike" in matches[0].reasons[0]


def test_an_alias_is_matched_too(prosecutor: User) -> None:
    make_accused(make_case(prosecutor), prosecutor, name="Juma Mwakideu", aliases="Baba Kazi")
    matches = services.person_matches(name="Baba Kazi", user=prosecutor)
    assert names(matches) == ["Juma Mwakideu"] and "alias" in matches[0].reasons[0]


def test_a_merged_person_is_never_offered_but_the_one_kept_is(prosecutor: User, unit_head: User) -> None:
    first = make_accused(make_case(prosecutor), prosecutor, name="Juma Mwakideu", id_number="23456789")
    second = make_accused(make_case(prosecutor), prosecutor, name="Juma Mwakidheu", id_number="A1234567")
    assert first.person is not None and second.person is not None
    services.merge_persons(unit_head, kept=first.person, merged=second.person, reason="Same man, same photo")
    by_name = services.person_matches(name="Juma Mwakidheu", user=unit_head)
    assert [m.person for m in by_name] == [first.person]
    by_passport = services.person_matches(name="", passports=["A1234567"], user=unit_head)
    assert [m.person for m in by_passport] == [first.person]


def hide_case(monkeypatch: pytest.MonkeyPatch, hidden: Case) -> None:
    """Make ``hidden`` a case nobody but the unit head may see, as a future sealed case would be."""
    original = querysets.rule_for(Case)

    def rule(cases: Any, user: Any) -> Any:
        return original(cases, user).exclude(pk=hidden.pk)

    monkeypatch.setitem(querysets._rules, cast(Any, Case), cast(querysets.ScopeRule, rule))


def test_a_prosecutor_is_never_offered_a_person_only_in_a_case_they_cannot_see(
    prosecutor: User, other_prosecutor: User, unit_head: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    unseen = make_case(other_prosecutor)
    make_accused(unseen, other_prosecutor, name="Juma Mwakideu", id_number="23456789")
    hide_case(monkeypatch, unseen)
    assert services.person_matches(name="Juma Mwakideu", national_ids=["23456789"], user=prosecutor) == []
    assert names(services.person_matches(name="Juma Mwakideu", user=unit_head)) == ["Juma Mwakideu"]


def test_matching_compares_a_bounded_number_of_candidates(prosecutor: User, monkeypatch: pytest.MonkeyPatch) -> None:
    from prosecutions.services import person_matching

    monkeypatch.setattr(person_matching, "NAME_CANDIDATES", 3)
    case = make_case(prosecutor)
    for n in range(6):
        make_accused(case, prosecutor, name=f"Juma Mwakideu {'I' * (n + 1)}")
    compared: list[str] = []
    real = person_matching.best_name_likeness

    def spy(name: str, person: Person) -> tuple[int, str]:
        compared.append(person.name)
        return real(name, person)

    monkeypatch.setattr(person_matching, "best_name_likeness", spy)
    services.person_matches(name="Juma Mwakideu", user=prosecutor)
    assert len(compared) == 3


# --- Possible duplicates ----------------------------------------------------------------------------


def test_possible_duplicates_pairs_a_shared_identifier_and_alike_names_born_the_same_year(unit_head: User) -> None:
    import datetime as dt

    phone_a = services.create_person(unit_head, name="Hamisi Ali", phones=["0712345678"])
    phone_b = services.create_person(unit_head, name="Omar Said", phones=["+254712345678"])
    name_a = services.create_person(unit_head, name="Juma Mwakideu", sex=Sex.MALE, birth_year=1980)
    name_b = services.create_person(unit_head, name="Juma Mwakidheu", sex=Sex.MALE, date_of_birth=dt.date(1980, 3, 1))
    services.create_person(unit_head, name="Juma Mwakidheu", sex=Sex.MALE, birth_year=1991)  # another year
    services.create_person(unit_head, name="Juma Mwakidheu", sex=Sex.FEMALE, birth_year=1980)  # another sex
    pairs = services.possible_duplicates()
    assert [(p.first, p.second) for p in pairs] == [(phone_a, phone_b), (name_a, name_b)]
    assert pairs[0].reasons == ["same phone number"]
    assert "born 1980" in pairs[1].reasons[0]


def test_a_merged_person_is_no_longer_a_possible_duplicate(unit_head: User) -> None:
    kept = services.create_person(unit_head, name="Hamisi Ali", phones=["0712345678"])
    merged = services.create_person(unit_head, name="Omar Said", phones=["0712345678"])
    services.merge_persons(unit_head, kept=kept, merged=merged, reason="One phone, one man")
    assert services.possible_duplicates() == []


# --- Merging ----------------------------------------------------------------------------------------


@pytest.fixture
def two_persons(prosecutor: User) -> tuple[Person, Person, Accused, Accused]:
    first = make_accused(make_case(prosecutor), prosecutor, name="Juma Mwakideu")
    second = make_accused(make_case(prosecutor), prosecutor, name="J. Mwakidheu")
    assert first.person is not None and second.person is not None
    return first.person, second.person, first, second


def test_a_merge_moves_the_accused_records_and_keeps_history_on_both(
    unit_head: User, two_persons: tuple[Person, Person, Accused, Accused]
) -> None:
    kept, merged, first, second = two_persons
    merge = services.merge_persons(unit_head, kept=kept, merged=merged, reason="Same man, same photo")
    second.refresh_from_db()
    merged.refresh_from_db()
    assert second.person == kept and merged.merged_into == kept
    assert merge.moved_accused == [second.pk] and merge.by == unit_head and merge.reason == "Same man, same photo"
    assert set(kept.accused_records.all()) == {first, second}
    expected = f"Merged {merged.reference} into {kept.reference}: Same man, same photo"
    assert merged.history.first().history_change_reason == expected
    assert second.history.first().history_change_reason == expected
    latest_kept = kept.history.first()
    assert latest_kept is not None and latest_kept.history_user == unit_head
    assert latest_kept.history_change_reason == f"{merged.reference} merged into this person: Same man, same photo"


def refused(call: Callable[[], Any], message: str) -> None:
    before = (PersonMerge.objects.count(), list(Accused.objects.values_list("pk", "person_id").order_by("pk")))
    with pytest.raises(MergeNotAllowed, match=message):
        call()
    after = (PersonMerge.objects.count(), list(Accused.objects.values_list("pk", "person_id").order_by("pk")))
    assert after == before
    assert not Person.objects.filter(merged_into__isnull=False).exists()


def test_a_merge_of_two_accused_on_the_same_case_is_refused(prosecutor: User, unit_head: User) -> None:
    case = make_case(prosecutor)
    one = make_accused(case, prosecutor, name="Juma Mwakideu")
    two = make_accused(case, prosecutor, name="Juma Mwakidheu")
    assert one.person and two.person
    refused(
        lambda: services.merge_persons(unit_head, kept=one.person, merged=two.person, reason="Looks alike"),  # type: ignore[arg-type]
        f"both accused in {case.reference}",
    )


def test_a_self_merge_is_refused(unit_head: User, two_persons: tuple[Person, Person, Accused, Accused]) -> None:
    kept = two_persons[0]
    refused(lambda: services.merge_persons(unit_head, kept=kept, merged=kept, reason="Oops"), "themselves")


def test_a_merge_without_a_reason_is_refused(
    unit_head: User, two_persons: tuple[Person, Person, Accused, Accused]
) -> None:
    kept, merged = two_persons[:2]
    refused(lambda: services.merge_persons(unit_head, kept=kept, merged=merged, reason="  "), "reason")


def test_a_person_already_merged_cannot_be_merged_again(
    unit_head: User, two_persons: tuple[Person, Person, Accused, Accused]
) -> None:
    kept, merged = two_persons[:2]
    services.merge_persons(unit_head, kept=kept, merged=merged, reason="Same man")
    with pytest.raises(MergeNotAllowed, match="already been merged"):
        services.merge_persons(unit_head, kept=merged, merged=kept, reason="Same man")
    assert PersonMerge.objects.count() == 1


def test_only_the_unit_head_merges(prosecutor: User, two_persons: tuple[Person, Person, Accused, Accused]) -> None:
    kept, merged = two_persons[:2]
    refused(lambda: services.merge_persons(prosecutor, kept=kept, merged=merged, reason="Same"), "unit head")


def test_undoing_a_merge_moves_the_records_back_by_a_second_merge_record(
    unit_head: User, two_persons: tuple[Person, Person, Accused, Accused]
) -> None:
    kept, merged, first, second = two_persons
    merge = services.merge_persons(unit_head, kept=kept, merged=merged, reason="Same man")
    undo = services.undo_merge(unit_head, merge, reason="Different fathers' names")
    second.refresh_from_db()
    merged.refresh_from_db()
    first.refresh_from_db()
    assert second.person == merged and first.person == kept and merged.merged_into is None
    assert undo.undoes == merge and undo.moved_accused == [second.pk] and undo.reason == "Different fathers' names"
    assert PersonMerge.objects.count() == 2  # the merge is kept, never deleted
    assert "undone" in merged.history.first().history_change_reason
    assert "undone" in kept.history.first().history_change_reason
    with pytest.raises(MergeNotAllowed, match="already been undone"):
        services.undo_merge(unit_head, merge, reason="Again")
    with pytest.raises(MergeNotAllowed, match="reason"):
        services.undo_merge(unit_head, merge, reason="")


# --- Who sees which person --------------------------------------------------------------------------


def test_the_unit_head_sees_every_person(unit_head: User, prosecutor: User) -> None:
    make_accused(make_case(prosecutor), prosecutor, name="Juma Mwakideu")
    orphan = services.create_person(unit_head, name="Hamisi Ali", phones=["0712345678"])
    assert orphan in Person.objects.visible_to(unit_head)
    assert Person.objects.visible_to(unit_head).count() == 2
    assert PersonIdentifier.objects.visible_to(unit_head).count() == 1


def test_a_prosecutor_sees_a_person_only_through_a_case_they_may_see(
    prosecutor: User, other_prosecutor: User, unit_head: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = make_accused(make_case(prosecutor), prosecutor, name="Juma Mwakideu", id_number="23456789")
    unseen_case = make_case(other_prosecutor)
    unseen = make_accused(unseen_case, other_prosecutor, name="Hamisi Ali", id_number="34567890")
    services.create_person(unit_head, name="Omar Said")  # in no case at all
    hide_case(monkeypatch, unseen_case)
    assert list(Person.objects.visible_to(prosecutor)) == [seen.person]
    assert list(PersonIdentifier.objects.visible_to(prosecutor).values_list("value", flat=True)) == ["23456789"]
    assert not Person.objects.visible_to(prosecutor).filter(accused_records=unseen).exists()


def test_a_merge_is_seen_by_the_unit_head_only_when_a_person_is_out_of_sight(
    prosecutor: User, unit_head: User, two_persons: tuple[Person, Person, Accused, Accused]
) -> None:
    kept, merged = two_persons[:2]
    services.merge_persons(unit_head, kept=kept, merged=merged, reason="Same man")
    assert PersonMerge.objects.visible_to(unit_head).count() == 1
    assert PersonMerge.objects.visible_to(prosecutor).count() == 0  # the merged person has no case left


@pytest.mark.parametrize("persona", ["fund_admin", "fund_approver", "liaison", "stranger"])
def test_fund_roles_and_liaisons_see_no_person_index(persona: str, request: pytest.FixtureRequest) -> None:
    from prosecutions.access import can_merge_persons, can_read_persons

    user = request.getfixturevalue(persona)
    head = request.getfixturevalue("unit_head")
    person = services.create_person(head, name="Juma Mwakideu", national_ids=["23456789"])
    merged = services.create_person(head, name="Juma Mwakidheu", national_ids=["23456789"])
    services.merge_persons(head, kept=person, merged=merged, reason="Same ID")
    assert not can_read_persons(user) and not can_merge_persons(user)
    assert not Person.objects.visible_to(user).exists()
    assert not PersonIdentifier.objects.visible_to(user).exists()
    assert not PersonMerge.objects.visible_to(user).exists()
    assert services.person_matches(name="Juma Mwakideu", national_ids=["23456789"], user=user) == []


def test_the_predicates(prosecutor: User, unit_head: User, auditor: User) -> None:
    from prosecutions.access import can_merge_persons, can_read_persons

    assert can_read_persons(prosecutor) and can_read_persons(unit_head) and can_read_persons(auditor)
    assert can_merge_persons(unit_head) and not can_merge_persons(prosecutor) and not can_merge_persons(auditor)


# --- The data migration -----------------------------------------------------------------------------

migration = importlib.import_module("prosecutions.migrations.0009_persons_for_accused")


def as_before_the_index() -> None:
    """The database as the migration finds it: accused without persons, an empty index."""
    Accused.objects.update(person=None)
    PersonIdentifier.objects.all().delete()
    Person.objects.all().delete()


def run_migration() -> None:
    # The migration only reads which database it works on from the schema editor.
    migration.persons_for_accused(apps, SimpleNamespace(connection=connection))


def test_the_migration_gives_every_accused_a_person_and_one_national_id_one_person(prosecutor: User) -> None:
    first = make_accused(make_case(prosecutor), prosecutor, name="Juma Mwakideu", id_number="23456789")
    second = make_accused(make_case(prosecutor), prosecutor, name="J. Mwakidheu", id_number="2345-6789")
    third = make_accused(make_case(prosecutor), prosecutor, name="Hamisi Ali", sex=Sex.MALE, id_number="ak1234567")
    fourth = make_accused(make_case(prosecutor), prosecutor, name="Omar Said")
    as_before_the_index()

    run_migration()

    for accused in (first, second, third, fourth):
        accused.refresh_from_db()
        assert accused.person is not None
    assert first.person == second.person
    assert len({first.person_id, third.person_id, fourth.person_id}) == 3
    assert Person.objects.count() == 3
    shared = first.person
    assert shared is not None and shared.name == "Juma Mwakideu" and shared.aliases == "J. Mwakidheu"
    assert list(shared.identifiers.values_list("kind", "value")) == [(IdentifierKind.NATIONAL_ID, "23456789")]
    assert third.person is not None and third.person.sex == Sex.MALE
    assert list(third.person.identifiers.values_list("value", flat=True)) == ["AK1234567"]
    assert not fourth.person.identifiers.exists()  # type: ignore[union-attr]
    assert len({p.reference for p in Person.objects.all()}) == 3


def test_the_migration_records_and_chains_the_change_to_each_accused(prosecutor: User) -> None:
    accused = make_accused(make_case(prosecutor), prosecutor, name="Juma Mwakideu", id_number="23456789")
    as_before_the_index()
    run_migration()
    accused.refresh_from_db()
    latest = accused.history.first()
    assert latest is not None
    assert latest.history_type == "~" and latest.history_change_reason == migration.REASON
    assert latest.person_id == accused.person_id
    history_table = accused.history.model._meta.label
    assert AuditLink.objects.filter(row_id=latest.pk, source__icontains="historicalaccused").exists(), history_table


def test_after_the_migration_every_live_row_matches_its_history_and_the_chain_holds(prosecutor: User) -> None:
    """As ``migrate`` runs it: the baseline notes the tables before, and gives the rows the migration created
    their history after; the accused rows changed carry the history the migration wrote itself."""
    case = make_case(prosecutor)
    for name, id_number in (("Juma Mwakideu", "23456789"), ("J. Mwakidheu", "23456789"), ("Omar Said", "")):
        # An accused as recorded before the index: no person, history as the services wrote it.
        Accused(case=case, name=name, id_number=id_number).save_as(prosecutor, "Accused added")
    assert live_tables_match_history() == ""

    baseline.note_before_migrate("default")
    run_migration()
    baseline.record_history_after_migrate("default")

    assert Person.objects.count() == 2 and not Accused.objects.filter(person__isnull=True).exists()
    assert live_tables_match_history() == ""
    assert verify_chain().ok


def test_the_migration_leaves_accused_already_linked_alone(prosecutor: User) -> None:
    accused = make_accused(make_case(prosecutor), prosecutor, name="Juma Mwakideu")
    person = accused.person
    run_migration()
    accused.refresh_from_db()
    assert accused.person == person and Person.objects.count() == 1
