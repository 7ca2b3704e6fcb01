"""The demo counts people with disabilities, indigenous and Afro-descendant people on some of its
actions, as ambassadors would: each within the action's total, and in the tally once approved."""

import pytest
from django.core.management import call_command
from django.db.models import F, Sum

from commitments.models import Action, MonthlyTally

WIDER = ["disability_reached", "indigenous_reached", "afro_reached"]


@pytest.mark.django_db
def test_about_a_third_of_the_demo_actions_count_the_wider_groups(settings):
    settings.DEBUG = True
    call_command("load_demo", skip_reports=True)
    with_people = Action.objects.filter(people_reached__isnull=False)
    with_groups = with_people.filter(disability_reached__isnull=False)
    # commitments.demo's general actions; the kinds' demo counts the groups of most trainings.
    general = with_people.filter(kind="general")
    assert 0.15 < general.filter(disability_reached__isnull=False).count() / general.count() < 0.5
    for group in WIDER:
        assert not with_groups.filter(**{f"{group}__gt": F("people_reached")}).exists()
    approved = Action.objects.filter(status="approved").aggregate(**{group: Sum(group) for group in WIDER})
    assert MonthlyTally.objects.aggregate(**{group: Sum(group) for group in WIDER}) == approved
    assert all(approved.values())
    # Most demo cities show them on their dashboard.
    assert with_groups.filter(status="approved").values("city").distinct().count() >= 4
