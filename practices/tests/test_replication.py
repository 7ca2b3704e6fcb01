"""A city replicating a published practice through its pages: it says so, links actions of its
own (a draft too), and the replication is done once the action that completes it is approved."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from ambassadors.tests.factories import UserFactory
from commitments import services as workflow
from commitments.models import Action
from commitments.tests.factories import ActionFactory
from commitments.tests.helpers import page_messages
from practices import services
from practices.models import Practice, Replication, ReplicationAction
from practices.tests.factories import PracticeFactory, ReplicationFactory


@pytest.fixture
def practice(ambassador):
    """A published practice of Lima."""
    return PracticeFactory(by=ambassador, status=Practice.Status.PUBLISHED)


@pytest.fixture
def replication(practice, other_ambassador):
    """Rosario replicates it."""
    return ReplicationFactory(practice=practice, by=other_ambassador)


def replicate_url(practice):
    return reverse("practices:replicate", args=[practice.pk])


def page_url(replication):
    return reverse("practices:replication", args=[replication.pk])


def state_of(replication):
    return Replication.objects.with_state().get(pk=replication.pk).state


@pytest.mark.django_db
def test_an_ambassador_of_another_city_starts_replicating_a_practice(client_for, other_ambassador, practice):
    client = client_for(other_ambassador)
    assert client.get(replicate_url(practice)).status_code == 405
    response = client.post(replicate_url(practice), {"notes": "En los mercados"}, follow=True)
    replication = Replication.objects.get()
    assert response.redirect_chain == [(page_url(replication), 302)]
    assert page_messages(response) == [
        "Su ciudad replica esta práctica. Enlace aquí las acciones con que la lleva a cabo."
    ]
    assert (replication.city.name, replication.started_by, replication.notes) == (
        "Rosario",
        other_ambassador,
        "En los mercados",
    )
    assert response.context["replication"].state == "planned"
    assert "Planificada" in response.content.decode()


@pytest.mark.django_db
def test_a_second_replication_of_the_same_city_is_refused_with_a_message(client_for, other_ambassador, replication):
    response = client_for(other_ambassador).post(replicate_url(replication.practice), {"notes": ""}, follow=True)
    assert response.redirect_chain == [(reverse("practices:practice", args=[replication.practice.pk]), 302)]
    assert page_messages(response) == ["Su ciudad ya registró que replica esta práctica."]
    assert Replication.objects.count() == 1


@pytest.mark.django_db
def test_a_city_does_not_replicate_its_own_practice(client_for, ambassador, practice):
    response = client_for(ambassador).post(replicate_url(practice), follow=True)
    assert page_messages(response) == ["Esta práctica es de su ciudad: no la puede replicar."]
    assert not Replication.objects.exists()


@pytest.mark.django_db
def test_only_published_practices_and_ambassadors_in_office_replicate(
    client_for, ambassador, other_ambassador, coordinator
):
    draft = PracticeFactory(by=ambassador)
    assert client_for(other_ambassador).post(replicate_url(draft)).status_code == 404  # not visible to Rosario
    response = client_for(coordinator).post(replicate_url(draft), follow=True)
    assert response.status_code == 403  # sees it, is no ambassador
    assert not Replication.objects.exists()


@pytest.mark.django_db
def test_notes_with_a_control_character_are_refused_with_the_message(client_for, other_ambassador, practice):
    response = client_for(other_ambassador).post(replicate_url(practice), {"notes": "Mercados\x07"})
    assert response.status_code == 200
    message = "El texto tiene un carácter de control invisible (U+0007) que no se admite: bórrelo."
    assert response.context["replicate_form"].errors["notes"] == [message]
    page = response.content.decode()
    assert message in page
    assert "Mercados" in page  # what was typed is still there
    assert not Replication.objects.exists()


@pytest.mark.django_db
def test_the_replicating_city_links_a_draft_of_its_own_and_it_is_in_progress(client_for, other_ambassador, replication):
    draft = ActionFactory(by=other_ambassador, title="Piloto en el mercado central")
    response = client_for(other_ambassador).post(page_url(replication), {"action": draft.pk}, follow=True)
    assert response.redirect_chain == [(page_url(replication), 302)]
    assert page_messages(response) == ["Acción enlazada a la réplica."]
    link = ReplicationAction.objects.get()
    assert (link.action, link.completes) == (draft, False)
    assert state_of(replication) == "in_progress"
    assert "Piloto en el mercado central" in response.content.decode()


@pytest.mark.django_db
def test_an_action_of_another_city_is_refused_at_its_field(client_for, ambassador, other_ambassador, replication):
    theirs = ActionFactory(by=ambassador, status="approved")
    response = client_for(other_ambassador).post(page_url(replication), {"action": theirs.pk, "completes": "on"})
    assert response.status_code == 200
    form = response.context["link_form"]
    assert list(form.errors) == ["action"]
    assert form["completes"].value() is True
    assert not ReplicationAction.objects.exists()
    assert escape(form.errors["action"][0]) in response.content.decode()


@pytest.mark.django_db
def test_a_replication_is_done_only_once_the_action_that_completes_it_is_approved(
    client_for, other_ambassador, admin, replication
):
    assert state_of(replication) == "planned"
    action = ActionFactory(by=other_ambassador, title="Escuela en Rosario")
    client = client_for(other_ambassador)
    client.post(page_url(replication), {"action": action.pk, "completes": "on"})
    assert state_of(replication) == "in_progress"
    workflow.action_submit(action=action, by=other_ambassador)
    assert state_of(replication) == "in_progress"
    workflow.action_approve(action=Action.objects.get(pk=action.pk), by=admin)
    assert state_of(replication) == "done"
    response = client.get(page_url(replication))
    assert response.context["replication"].state_label == "Realizada"
    assert response.context["replication"].done_at is not None


@pytest.mark.django_db
def test_an_approved_action_linked_without_completing_leaves_it_in_progress(client_for, other_ambassador, replication):
    action = ActionFactory(by=other_ambassador, status="approved")
    client_for(other_ambassador).post(page_url(replication), {"action": action.pk})
    assert state_of(replication) == "in_progress"


@pytest.mark.django_db
def test_an_action_is_unlinked_by_the_replicating_city_only(
    client_for, ambassador, other_ambassador, coordinator_elsewhere, replication
):
    action = ActionFactory(by=other_ambassador, title="Piloto")
    link = services.replication_link(replication=replication, action=action, by=other_ambassador)
    url = reverse("practices:replication_unlink", args=[link.pk])
    for outsider in (ambassador, coordinator_elsewhere):
        assert client_for(outsider).post(url).status_code == 403
    assert client_for(UserFactory()).post(url).status_code == 404
    client = client_for(other_ambassador)
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(page_url(replication), 302)]
    assert page_messages(response) == ["Acción quitada de la réplica: «Piloto»."]
    assert not ReplicationAction.objects.filter(pk=link.pk).exists()
    assert Action.objects.filter(pk=action.pk).exists()
    assert state_of(replication) == "planned"


@pytest.mark.django_db
def test_the_notes_are_updated_and_refused_text_keeps_what_was_typed(client_for, other_ambassador, replication):
    client = client_for(other_ambassador)
    refused = client.post(page_url(replication), {"notes": "Con\x0bla feria"})
    assert refused.status_code == 200
    assert refused.context["notes_form"].errors["notes"] == [
        "El texto tiene un carácter de control invisible (U+000B) que no se admite: bórrelo."
    ]
    assert refused.context["notes_form"]["notes"].value() == "Con\x0bla feria"
    client.post(page_url(replication), {"notes": "Con la feria\ndel barrio"})
    replication.refresh_from_db()
    assert replication.notes == "Con la feria\ndel barrio"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["ambassador", "coordinator", "coordinator_elsewhere", "admin"])
def test_the_network_reads_the_replication_page_and_only_its_city_writes_it(request, client_for, replication, who):
    client = client_for(request.getfixturevalue(who))
    response = client.get(page_url(replication))
    assert response.status_code == 200
    assert (response.context["notes_form"], response.context["link_form"]) == (None, None)
    assert "La adaptamos a los mercados municipales." in response.content.decode()
    assert client.post(page_url(replication), {"notes": "Otra cosa"}).status_code == 403
    replication.refresh_from_db()
    assert replication.notes == "La adaptamos a los mercados municipales."


@pytest.mark.django_db
def test_the_replication_page_is_hidden_outside_the_network(client_for, replication):
    assert client_for(UserFactory()).get(page_url(replication)).status_code == 404
    assert client_for(UserFactory()).get(reverse("practices:replication", args=[10**30])).status_code == 404


@pytest.mark.django_db
def test_outside_the_replicating_city_only_its_approved_linked_actions_show_and_never_as_links(
    client_for, ambassador, other_ambassador, replication
):
    draft = ActionFactory(by=other_ambassador, title="Piloto en borrador")
    approved = ActionFactory(by=other_ambassador, title="Feria aprobada", status="approved")
    for action in (draft, approved):
        client_for(other_ambassador).post(page_url(replication), {"action": action.pk})
    own_page = client_for(other_ambassador).get(page_url(replication)).content.decode()
    assert all(reverse("commitments:action", args=[action.pk]) in own_page for action in (draft, approved))
    page = client_for(ambassador).get(page_url(replication)).content.decode()
    assert "Feria aprobada" in page
    assert "Piloto en borrador" not in page  # a draft's title stays in its city
    assert reverse("commitments:action", args=[approved.pk]) not in page


@pytest.mark.django_db
def test_the_replication_page_runs_the_same_queries_however_many_actions_are_linked(
    client_for, other_ambassador, replication, django_assert_max_num_queries
):
    client = client_for(other_ambassador)
    client.post(page_url(replication), {"action": ActionFactory(by=other_ambassador).pk})
    with django_assert_max_num_queries(20) as few:
        client.get(page_url(replication))
    for n in range(3):
        action = ActionFactory(by=other_ambassador, title=f"Acción {n}")
        client.post(page_url(replication), {"action": action.pk, "completes": "on" if n % 2 else ""})
    with django_assert_max_num_queries(20) as many:
        response = client.get(page_url(replication))
    assert len(response.context["links"]) == 4
    assert len(many.captured_queries) == len(few.captured_queries)
