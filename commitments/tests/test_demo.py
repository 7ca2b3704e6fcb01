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
    per_city = City.objects.filter(ambassadors__isnull=False).annotate(
        action_count=Count("actions", distinct=True),
        statuses=Count("actions__status", distinct=True),
        files=Count("actions__evidence", filter=~Q(actions__evidence__file=""), distinct=True),
        target_count=Count("targets", distinct=True),
    )
    assert per_city.count() == 8
    for city in per_city:
        assert (city.action_count, city.statuses, city.target_count) == (7, 4, 3), city
        assert city.files == 14, city
    assert set(Action.objects.values_list("status", flat=True)) == {"draft", "submitted", "approved", "returned"}
