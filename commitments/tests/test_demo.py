import pytest
from django.core.management import call_command

from ambassadors.models import City


@pytest.mark.django_db
def test_the_demo_has_actions_in_every_status_with_evidence_files_for_each_city(settings):
    from django.db.models import Count, Q

    from commitments.models import Action

    settings.DEBUG = True
    call_command("load_demo", skip_reports=True)
    call_command("load_demo", skip_reports=True)  # idempotent: no second batch
    # This demo's own actions: hazards.demo adds the city's responses to its hazard events, and
    # practices.demo an action for each exchange the city organised.
    own = ~Q(actions__kind__in=["hazard_response", "exchange"])
    per_city = City.objects.filter(ambassadors__isnull=False).annotate(
        action_count=Count("actions", filter=own, distinct=True),
        statuses=Count("actions__status", filter=own, distinct=True),
        files=Count("actions__evidence", filter=own & ~Q(actions__evidence__file=""), distinct=True),
        target_count=Count("targets", distinct=True),
    )
    assert per_city.count() == 8
    for city in per_city:
        # commitments.demo's 7 actions with two files each, and kinds.demo's 6 with one each.
        assert (city.action_count, city.statuses, city.target_count) == (7 + 6, 4, 3), city
        assert city.files == 14 + 6, city
    assert set(Action.objects.values_list("status", flat=True)) == {"draft", "submitted", "approved", "returned"}
    # The demo moves its decisions back in time: the review tally follows them (month and band).
    from commitments import review_tally

    assert review_tally.rows() == review_tally.recount() != []


@pytest.mark.django_db
def test_limas_water_target_that_has_not_moved_shows_at_risk(settings, client):
    """3.1-b, safe drinking water, from the demo's baseline in 2025 to 95 % by the end of 2030:
    no action reports it, so nothing has moved while the line expects some progress by now."""
    import datetime
    import re

    import time_machine
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    settings.DEBUG = True
    with time_machine.travel(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC), tick=False):
        call_command("load_demo", skip_reports=True)
        lima = City.objects.get(name="Lima")
        client.force_login(get_user_model().objects.get(username="emb.lima"))
        response = client.get(reverse("reports:city_progress", args=[lima.pk]))
    [water] = [target for target in response.context["targets"] if target.indicator.code == "3.1-b"]
    assert water.current_value == water.baseline < water.expected_value
    assert water.status == "at_risk"
    assert re.search(
        r'3\.1-b</span>.*?<span class="badge target-at_risk">En riesgo</span>', response.content.decode(), re.S
    )
