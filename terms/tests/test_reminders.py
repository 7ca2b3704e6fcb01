"""Which ending terms are told, to whom and at which threshold (reports.digests sends them:
reports/tests/test_term_reminders.py)."""

import datetime

import pytest

from ambassadors.models import Ambassador
from ambassadors.scope import reviewers
from terms.reminders import term_items, term_reminders_record, threshold_for

from .conftest import TODAY, set_term

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("days", "threshold"), [(61, None), (60, 60), (45, 60), (31, 60), (30, 30), (1, 30), (0, 30), (-1, None)]
)
def test_the_threshold_a_term_has_reached(days, threshold):
    assert threshold_for(days) == threshold


def test_the_ambassador_and_the_coordinators_of_the_country_are_told_not_admins_nor_others(
    ambassador, coordinator, coordinator_elsewhere, admin, other_ambassador
):
    set_term(Ambassador.objects.get(user=ambassador), 45)
    items = term_items(today=TODAY, reviewers=reviewers())
    assert set(items) == {ambassador, coordinator}
    (own,) = items[ambassador]
    assert own["own"] and own["threshold"] == 60 and own["days"] == 45 and own["city"] == "Lima"
    assert not items[coordinator][0]["own"]


def test_what_was_told_is_not_told_again_at_the_same_threshold(ambassador, coordinator):
    term = set_term(Ambassador.objects.get(user=ambassador), 45)
    items = term_items(today=TODAY, reviewers=reviewers())
    term_reminders_record(recipient=ambassador, items=items[ambassador])
    again = term_items(today=TODAY + datetime.timedelta(days=1), reviewers=reviewers())
    assert ambassador not in again and coordinator in again
    later = term_items(today=term.term_ends_on - datetime.timedelta(days=30), reviewers=reviewers())
    assert later[ambassador][0]["threshold"] == 30


def test_a_term_without_an_end_or_already_past_is_not_told(ambassador, coordinator):
    term = Ambassador.objects.get(user=ambassador)
    assert term_items(today=TODAY, reviewers=reviewers()) == {}
    set_term(term, -1)
    assert term_items(today=TODAY, reviewers=reviewers()) == {}
