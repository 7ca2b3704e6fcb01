"""Reading a notice is one service (commitments.services.notifications_read_about / _all): the
pages call it, they never write read_at themselves."""

import pytest
from django.urls import reverse

from commitments import services
from commitments.models import Notification
from commitments.tests.factories import ActionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_decisions(ambassador, coordinator):
    """Two actions of Alicia returned by Carla: two unread notices for Alicia."""
    actions = [ActionFactory(by=ambassador, title=title) for title in ("Huerto", "Cosecha")]
    for action in actions:
        services.action_submit(action=action, by=ambassador)
        services.action_return(action=action, by=coordinator, comment="Falta la foto.")
    return actions


def unread_titles(user):
    return sorted(
        Notification.objects.unread().filter(recipient=user).values_list("status_change__action__title", flat=True)
    )


def test_opening_an_action_reads_only_its_own_notice(client_for, ambassador, two_decisions):
    client_for(ambassador).get(reverse("commitments:action", args=[two_decisions[0].pk]))
    assert unread_titles(ambassador) == ["Cosecha"]


def test_someone_else_opening_the_action_reads_nothing(client_for, ambassador, coordinator, two_decisions):
    client_for(coordinator).get(reverse("commitments:action", args=[two_decisions[0].pk]))
    assert unread_titles(ambassador) == ["Cosecha", "Huerto"]


def test_marking_all_as_read_reads_only_the_persons_notices(client_for, ambassador, other_ambassador, two_decisions):
    response = client_for(other_ambassador).post(reverse("commitments:notifications"))
    assert response.status_code == 302
    assert unread_titles(ambassador) == ["Cosecha", "Huerto"]
    client_for(ambassador).post(reverse("commitments:notifications"))
    assert unread_titles(ambassador) == []
    assert services.notifications_read_all(by=ambassador) == 0  # nothing left to read
