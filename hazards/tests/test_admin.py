"""Admins read the hazard log with its audit trail and the actions answering each event; they
change it only on the site, through its city's ambassador."""

import pytest
from django.urls import reverse

from hazards.tests.factories import HazardEventFactory, HazardResponseFactory

pytestmark = pytest.mark.django_db


def test_the_admin_lists_events_filtered_by_city_and_shows_the_actions_answering_one(
    client_for, admin, ambassador, other_ambassador, lima
):
    flood = HazardEventFactory(by=ambassador, title="Desborde del Rímac")
    HazardEventFactory(by=other_ambassador, title="Bajante del Paraná", hazard="drought")
    HazardResponseFactory(by=ambassador, events=[flood], title="Limpieza de cauces")
    client = client_for(admin)
    listing = client.get(reverse("admin:hazards_hazardevent_changelist"), {"city__id__exact": lima.pk})
    assert listing.status_code == 200
    assert [event.title for event in listing.context["cl"].result_list] == ["Desborde del Rímac"]
    page = client.get(reverse("admin:hazards_hazardevent_change", args=[flood.pk])).content.decode()
    assert "Limpieza de cauces" in page
    assert client.get(reverse("admin:hazards_hazardevent_add")).status_code == 403
    responses = client.get(reverse("admin:hazards_hazardresponse_changelist"), {"phase__exact": "respond"})
    assert [str(response) for response in responses.context["cl"].result_list] == ["Limpieza de cauces"]
