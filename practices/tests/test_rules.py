"""The practice library's rules, below the pages: who sees a practice in each state, who may
write, review and replicate, what a practice may be made of, and when a replication is done."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ambassadors import services as ambassador_services
from ambassadors.tests.factories import AmbassadorFactory, UserFactory
from commitments import services as action_services
from commitments.models import Action
from commitments.sample_files import pdf_bytes, upload
from commitments.tests.factories import ActionFactory
from practices import services
from practices.models import Practice, PracticeStatusChange, Replication
from practices.tests.factories import PracticeFactory, ReplicationActionFactory, ReplicationFactory

pytestmark = pytest.mark.django_db

UNPUBLISHED = [Practice.Status.DRAFT, Practice.Status.SUBMITTED, Practice.Status.RETURNED]


def _sees(user, practice):
    return Practice.objects.visible_to(user).filter(pk=practice.pk).exists()


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_a_practice_not_yet_published_is_seen_only_by_its_citys_scope(
    status, ambassador, other_ambassador, coordinator, coordinator_elsewhere, admin, seeded_catalogue
):
    practice = PracticeFactory(by=ambassador, status=status, reviewer=coordinator)
    assert _sees(ambassador, practice)
    assert _sees(coordinator, practice)
    assert _sees(admin, practice)
    assert not _sees(other_ambassador, practice)
    assert not _sees(coordinator_elsewhere, practice)


def test_a_published_practice_is_read_by_the_whole_network_and_nobody_else(
    ambassador, other_ambassador, coordinator, coordinator_elsewhere, seeded_catalogue
):
    practice = PracticeFactory(by=ambassador, status=Practice.Status.PUBLISHED, reviewer=coordinator)
    assert _sees(other_ambassador, practice)
    assert _sees(coordinator_elsewhere, practice)
    assert not _sees(UserFactory(), practice)  # a login with no role in the network
    former = AmbassadorFactory()
    ambassador_services.ambassador_end(ambassador=former, ended_on=datetime.date(2026, 1, 31))
    assert not _sees(former.user, practice)


def test_only_a_coordinator_of_its_country_or_an_admin_publishes_it(
    ambassador, coordinator, coordinator_elsewhere, seeded_catalogue
):
    practice = PracticeFactory(by=ambassador, status=Practice.Status.SUBMITTED)
    for outsider in (ambassador, coordinator_elsewhere):
        with pytest.raises(PermissionDenied):
            services.practice_approve(practice=practice, by=outsider)
    services.practice_approve(practice=practice, by=coordinator, comment="Muy clara.")
    practice.refresh_from_db()
    assert practice.status == Practice.Status.PUBLISHED
    assert practice.published_at is not None
    steps = list(PracticeStatusChange.objects.filter(practice=practice).values_list("to_status", "by", "comment"))
    assert steps[-1] == (Practice.Status.PUBLISHED, coordinator.pk, "Muy clara.")
    with pytest.raises(ValidationError):  # a second decision (a double tap) finds it published
        services.practice_return(practice=practice, by=coordinator, comment="No.")


def test_a_practice_is_made_of_its_own_citys_approved_actions_and_their_evidence(
    ambassador, other_ambassador, seeded_catalogue
):
    draft = ActionFactory(by=ambassador)
    elsewhere = ActionFactory(by=other_ambassador, status=Action.Status.APPROVED)
    own = ActionFactory(by=ambassador, status=Action.Status.APPROVED)
    foreign_file = action_services.evidence_add_file(
        action=ActionFactory(by=other_ambassador), by=other_ambassador, uploaded_file=upload("acta.pdf", pdf_bytes())
    )
    for actions, evidence, field in (
        ([draft], [], "actions"),
        ([elsewhere], [], "actions"),
        ([], [], "actions"),
        ([own], [foreign_file], "evidence"),
    ):
        with pytest.raises(ValidationError) as refused:
            services.practice_create(by=ambassador, data={"title": "Práctica"}, actions=actions, evidence=evidence)
        assert field in refused.value.message_dict
    assert not Practice.objects.exists()


def test_a_practice_is_sent_only_when_complete_and_only_by_its_citys_ambassador(
    ambassador, other_ambassador, seeded_catalogue
):
    practice = PracticeFactory(by=ambassador, problem="", summary_es="")
    with pytest.raises(ValidationError) as missing:
        services.practice_submit(practice=practice, by=ambassador)
    assert set(missing.value.message_dict) == {"problem", "summary_es"}
    with pytest.raises(PermissionDenied):
        services.practice_submit(practice=practice, by=other_ambassador)


def test_a_city_replicates_a_published_practice_once_and_never_its_own(
    ambassador, other_ambassador, coordinator, seeded_catalogue
):
    draft = PracticeFactory(by=ambassador)
    with pytest.raises(ValidationError):
        services.replication_start(practice=draft, by=other_ambassador)
    published = PracticeFactory(by=ambassador, status=Practice.Status.PUBLISHED, reviewer=coordinator)
    with pytest.raises(ValidationError):
        services.replication_start(practice=published, by=ambassador)
    services.replication_start(practice=published, by=other_ambassador)
    with pytest.raises(ValidationError):
        services.replication_start(practice=published, by=other_ambassador)
    with pytest.raises(PermissionDenied):
        services.replication_start(practice=published, by=coordinator)
    assert Replication.objects.filter(practice=published).count() == 1


def _state(replication):
    return Replication.objects.with_state().get(pk=replication.pk).state


def test_a_replication_is_done_once_its_completing_action_is_approved(seeded_catalogue):
    replication = ReplicationFactory()
    assert _state(replication) == Replication.State.PLANNED
    by = replication.started_by
    link = ReplicationActionFactory(replication=replication, completes=True)
    assert _state(replication) == Replication.State.IN_PROGRESS
    action_services.action_submit(action=link.action, by=by)
    assert _state(replication) == Replication.State.IN_PROGRESS
    action_services.action_approve(action=link.action, by=UserFactory(is_superuser=True, is_staff=True))
    assert _state(replication) == Replication.State.DONE
    counted = Practice.objects.with_replication_counts().get(pk=replication.practice_id)
    assert (counted.replication_count, counted.replications_done) == (1, 1)


def test_only_the_replicating_citys_ambassador_links_and_only_their_citys_actions(
    ambassador, other_ambassador, coordinator, seeded_catalogue
):
    published = PracticeFactory(by=ambassador, status=Practice.Status.PUBLISHED, reviewer=coordinator)
    replication = services.replication_start(practice=published, by=other_ambassador)
    with pytest.raises(PermissionDenied):
        services.replication_link(replication=replication, action=ActionFactory(by=ambassador), by=ambassador)
    with pytest.raises(ValidationError):
        services.replication_link(replication=replication, action=ActionFactory(by=ambassador), by=other_ambassador)
    assert not replication.links.exists()
