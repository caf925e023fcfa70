"""sayyes.core: owned objects, id parsing, and the errors every door shares."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given
from hypothesis import strategies as st

from sayyes.core.errors import BadParameter, ImportFailed, NotFound, one_line
from sayyes.core.ids import MAX_ID, parse_id, parse_ids
from sayyes.core.owned import OwnedManager, owned_models, owner_path

# --- Id parsing ----------------------------------------------------------------------------------


def test_it_reads_ids_separated_by_commas_in_order_without_repeats():
    assert parse_ids("3, 5,8,,3") == [3, 5, 8]


def test_it_reads_ids_given_as_several_values():
    assert parse_ids(["3,5", "8", "5"]) == [3, 5, 8]


def test_it_reads_nothing_as_no_ids():
    assert parse_ids(None) == []
    assert parse_ids("") == []


@pytest.mark.parametrize("raw", ["¹", "٣", "1.5", "-2", "0x10", "1e3", " x ", "0", "１"])
def test_it_refuses_what_is_not_an_ascii_positive_id(raw):
    with pytest.raises(BadParameter) as caught:
        parse_ids(f"2,{raw}", "ids")
    assert caught.value.param == "ids"
    assert "is not an id" in caught.value.message


def test_it_refuses_an_id_a_database_integer_cannot_hold():
    assert parse_id(str(MAX_ID)) == MAX_ID
    with pytest.raises(BadParameter):
        parse_id(str(MAX_ID + 1))


def test_it_names_the_parameter_and_the_bounds_of_the_count():
    with pytest.raises(BadParameter, match="Choose 2 to 5 companies") as caught:
        parse_ids("7", "company_ids", min_count=2, max_count=5, what="companies")
    assert caught.value.param == "company_ids"
    with pytest.raises(BadParameter, match="at most 5"):
        parse_ids("1,2,3,4,5,6", max_count=5)


def test_a_bool_is_not_an_id():
    with pytest.raises(BadParameter):
        parse_id(True)


@given(st.lists(st.integers(min_value=1, max_value=MAX_ID), max_size=20))
def test_any_list_of_ids_reads_back_as_itself(ids):
    unique = list(dict.fromkeys(ids))
    assert parse_ids(",".join(map(str, ids))) == unique


@given(st.text(max_size=30))
# Found by the hunt: str.isdigit() accepts superscripts and other scripts' digits.
@example("¹,2")
@example("٣")
def test_any_text_is_either_ids_or_a_bad_parameter(text):
    try:
        ids = parse_ids(text)
    except BadParameter as exc:
        assert exc.param == "ids"
    else:
        assert all(isinstance(i, int) and 1 <= i <= MAX_ID for i in ids)


# --- Errors --------------------------------------------------------------------------------------


def test_one_line_joins_a_validation_error_and_never_names_a_class():
    exc = ValidationError({"title": ["This field is required."], "status": ["Not a status."]})
    assert one_line(exc) == "This field is required. Not a status."
    assert one_line(NotFound("No interview #4.")) == "No interview #4."
    assert one_line(ImportFailed("expected 7 fields,\nfound 9", line=14)) == (
        "line 14: expected 7 fields, found 9"
    )


# --- Owned objects -------------------------------------------------------------------------------


def test_every_owned_model_has_the_owned_manager():
    missing = [
        o.label for o in owned_models() if not isinstance(o.model._default_manager, OwnedManager)
    ]
    assert missing == []


def test_the_ownership_path_goes_through_the_parent():
    from sayyes.pipeline.models import Opportunity, StatusEvent

    assert owner_path(Opportunity) == "owner"
    assert owner_path(StatusEvent) == "opportunity__owner"


def test_a_model_no_one_owns_has_no_path():
    from django.contrib.auth.models import Group

    with pytest.raises(TypeError):
        owner_path(Group)


def test_owned_by_keeps_to_the_user(alice, bob, opp):
    from sayyes.pipeline.models import Opportunity, StatusEvent

    assert list(Opportunity.objects.owned_by(alice)) == [opp]
    assert not Opportunity.objects.owned_by(bob).exists()
    assert StatusEvent.objects.owned_by(alice).count() == opp.events.count() > 0
    assert not StatusEvent.objects.owned_by(bob).exists()


def test_owned_by_an_anonymous_visitor_is_nothing(opp):
    from django.contrib.auth.models import AnonymousUser

    from sayyes.pipeline.models import Opportunity

    assert not Opportunity.objects.owned_by(AnonymousUser()).exists()
    assert not Opportunity.objects.owned_by(None).exists()


def test_get_for_finds_the_users_object_and_hides_anyone_elses(alice, bob, opp):
    from sayyes.pipeline.models import Opportunity

    assert Opportunity.objects.get_for(alice, opp.pk) == opp
    assert Opportunity.objects.get_for(alice, str(opp.pk)) == opp
    with pytest.raises(NotFound, match=rf"No opportunity #{opp.pk}\."):
        Opportunity.objects.get_for(bob, opp.pk)
    for junk in ["¹", "abc", "-1", str(2**70)]:
        with pytest.raises(NotFound):
            Opportunity.objects.get_for(alice, junk)


def test_get_for_works_after_select_related(alice, interview):
    from sayyes.pipeline.models import Interview

    found = Interview.objects.select_related("opportunity__company").get_for(alice, interview.pk)
    assert found == interview


def test_many_for_keeps_the_order_and_needs_every_id(alice, bob):
    from sayyes.pipeline import services
    from sayyes.pipeline.models import Company

    a = services.create_company(alice, name="Acme")
    b = services.create_company(alice, name="Borealis")
    theirs = services.create_company(bob, name="Bob's")
    assert Company.objects.many_for(alice, [b.pk, a.pk]) == [b, a]
    with pytest.raises(NotFound, match=rf"#{theirs.pk}"):
        Company.objects.many_for(alice, [a.pk, theirs.pk])


def test_derived_models_are_not_owned_models_and_say_so():
    from django.apps import apps

    from sayyes.core.owned import derived, owned_models

    derived_labels = sorted(m._meta.label for m in apps.get_models() if derived(m))
    assert derived_labels == ["journal.SourceTerm", "journal.TermSource"]
    assert not {o.label for o in owned_models()} & set(derived_labels)
