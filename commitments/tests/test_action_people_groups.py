"""An action's page shows the people with disabilities, indigenous and Afro-descendant people it
reached, and its timeline tells each change of them."""

import datetime

import pytest
from django.urls import reverse

from commitments import services
from commitments.timeline import action_timeline

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_wider_groups_and_the_timeline_tells_their_changes(
    client_for, ambassador, coordinator, commitment, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 11, 12, 14, tzinfo=datetime.UTC), tick=False)
    action = services.action_create(
        by=ambassador,
        commitment=commitment,
        data={"title": "Cabildo accesible", "people_reached": 50, "indigenous_reached": 10, "afro_reached": 3},
    )
    time_machine.shift(datetime.timedelta(hours=1))
    services.action_update(
        action=action,
        by=ambassador,
        data={"disability_reached": 4, "indigenous_reached": 12, "afro_reached": None},
    )

    assert action_timeline(action)[-1].changes == [
        "puso las personas con discapacidad alcanzadas: «4»",
        "cambió las personas indígenas alcanzadas de «10» a «12»",
        "borró las personas afrodescendientes alcanzadas («3»)",
    ]
    page = client_for(coordinator).get(reverse("commitments:action", args=[action.pk])).content.decode()
    assert "personas con discapacidad 4, indígenas 12, afrodescendientes —" in page
