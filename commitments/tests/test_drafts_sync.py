"""Drafts sent from a phone (static/js/offline.js): a resend with the draft's key is the same
draft, never a second action; a copy typed from an older version does not overwrite a change
made on the server meanwhile, and the person sees both to choose."""

import datetime
import uuid
from unittest import mock

import pytest
from django.urls import reverse

from commitments import services
from commitments.models import Action
from commitments.tests.factories import ActionFactory


def _form(title, **extra):
    return {"title": title, "links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0", "save": "", **extra}


@pytest.mark.django_db
def test_a_resend_with_the_same_key_returns_the_first_action(ambassador, commitment):
    key = uuid.uuid4()
    first = services.action_create(by=ambassador, commitment=commitment, data={"title": "Taller"}, client_key=key)
    again = services.action_create(by=ambassador, commitment=commitment, data={"title": "Taller"}, client_key=key)
    assert again.pk == first.pk
    assert again.resent is True
    assert not getattr(first, "resent", False)
    assert Action.objects.filter(client_key=key).count() == 1
    assert first.status_changes.count() == 1


@pytest.mark.django_db
def test_drafts_without_a_key_are_each_their_own(ambassador, commitment):
    services.action_create(by=ambassador, commitment=commitment, data={"title": "Uno"})
    services.action_create(by=ambassador, commitment=commitment, data={"title": "Dos"})
    assert Action.objects.filter(client_key__isnull=True).count() == 2


@pytest.mark.django_db
def test_a_key_belongs_to_one_ambassador_only(ambassador, other_ambassador, commitment):
    key = uuid.uuid4()
    mine = services.action_create(by=ambassador, commitment=commitment, data={"title": "Mía"}, client_key=key)
    theirs = services.action_create(by=other_ambassador, commitment=commitment, data={"title": "Suya"}, client_key=key)
    assert mine.pk != theirs.pk
    assert theirs.city.name == "Rosario" and theirs.title == "Suya"


@pytest.mark.django_db
def test_two_sends_that_cross_meet_at_the_unique_key(ambassador, commitment):
    """The second send's look-up ran before the first one's row existed: the unique constraint
    refuses its insert and it returns the first one's action."""
    key = uuid.uuid4()
    first = services.action_create(by=ambassador, commitment=commitment, data={"title": "Taller"}, client_key=key)
    real_filter = Action.objects.filter
    calls = []

    def blind_first_look(*args, **kwargs):
        calls.append(kwargs)
        found = real_filter(*args, **kwargs)
        return found.none() if len(calls) == 1 else found

    with mock.patch.object(Action.objects, "filter", side_effect=blind_first_look):
        again = services.action_create(by=ambassador, commitment=commitment, data={"title": "Taller"}, client_key=key)
    assert again.pk == first.pk and again.resent
    assert Action.objects.filter(client_key=key).count() == 1


@pytest.mark.django_db
def test_the_form_posted_twice_with_one_key_saves_one_action(client_for, ambassador, commitment):
    client = client_for(ambassador)
    key = str(uuid.uuid4())
    url = reverse("commitments:action_create", args=[commitment.pk])
    first = client.post(url, _form("Cosecha de lluvia", client_key=key))
    second = client.post(url, _form("Cosecha de lluvia", client_key=key), follow=True)
    action = Action.objects.get(client_key=key)
    assert first.url == reverse("commitments:action", args=[action.pk])
    assert second.redirect_chain[-1][0] == first.url
    assert "ya había llegado" in second.content.decode()
    assert Action.objects.filter(title="Cosecha de lluvia").count() == 1


@pytest.mark.django_db
def test_a_resend_of_save_and_submit_does_not_submit_twice(client_for, ambassador, commitment):
    client = client_for(ambassador)
    key = str(uuid.uuid4())
    url = reverse("commitments:action_create", args=[commitment.pk])
    client.post(url, _form("Taller", client_key=key))
    response = client.post(url, {**_form("Taller", client_key=key), "submit": ""})
    action = Action.objects.get(client_key=key)
    assert response.url == reverse("commitments:action", args=[action.pk])
    assert action.status == "draft"


@pytest.mark.django_db
def test_an_unreadable_key_is_ignored_and_the_draft_saved(client_for, ambassador, commitment):
    response = client_for(ambassador).post(
        reverse("commitments:action_create", args=[commitment.pk]), _form("Sin clave", client_key="no-es-uuid")
    )
    assert response.status_code == 302
    assert Action.objects.get(title="Sin clave").client_key is None


# The conflict rule ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_update_from_an_older_version_is_refused_and_writes_nothing(ambassador):
    action = ActionFactory(by=ambassador, title="Original")
    started_from = action.updated_at
    services.action_update(action=action, by=ambassador, data={"title": "Cambiada en el servidor"})
    with pytest.raises(services.EditConflict) as conflict:
        services.action_update(action=action, by=ambassador, data={"title": "Del teléfono"}, version=started_from)
    assert conflict.value.action.title == "Cambiada en el servidor"
    assert Action.objects.get(pk=action.pk).title == "Cambiada en el servidor"


@pytest.mark.django_db
def test_an_update_from_the_current_version_is_saved(ambassador):
    action = ActionFactory(by=ambassador, title="Original")
    services.action_update(action=action, by=ambassador, data={"title": "Del teléfono"}, version=action.updated_at)
    assert Action.objects.get(pk=action.pk).title == "Del teléfono"


@pytest.mark.django_db
def test_the_edit_form_carries_the_version_it_started_from(client_for, ambassador):
    action = ActionFactory(by=ambassador)
    page = client_for(ambassador).get(reverse("commitments:action_edit", args=[action.pk])).content.decode()
    assert f'value="{action.updated_at.isoformat()}"' in page
    assert 'name="client_key"' in page


def _edit_form(action, title, version):
    return _form(
        title,
        commitment=action.commitment_id,
        kind=action.kind,
        version=version.isoformat(),
        started_on=action.started_on.isoformat() if action.started_on else "",
    )


@pytest.mark.django_db
def test_a_phone_copy_of_an_older_version_shows_both_versions_to_choose(client_for, ambassador):
    action = ActionFactory(by=ambassador, title="Original")
    started_from = action.updated_at
    services.action_update(action=action, by=ambassador, data={"title": "Cambiada en el servidor"})
    client = client_for(ambassador)
    url = reverse("commitments:action_edit", args=[action.pk])
    response = client.post(url, _edit_form(action, "Escrita en el teléfono", started_from))
    assert response.status_code == 200
    assert response["X-Draft-Conflict"] == "1"
    page = response.content.decode()
    assert "Cambiada en el servidor" in page and "Escrita en el teléfono" in page
    assert Action.objects.get(pk=action.pk).title == "Cambiada en el servidor"
    # Keeping the phone's copy sends it again from the server's version: now it is saved.
    current = Action.objects.get(pk=action.pk).updated_at
    assert f'value="{current.isoformat()}"' in page
    kept = client.post(url, _edit_form(action, "Escrita en el teléfono", current))
    assert kept.status_code == 302
    assert Action.objects.get(pk=action.pk).title == "Escrita en el teléfono"


@pytest.mark.django_db
def test_a_form_without_a_version_saves_as_before(client_for, ambassador):
    action = ActionFactory(by=ambassador, title="Original")
    services.action_update(action=action, by=ambassador, data={"title": "Otra"})
    form = _edit_form(action, "Sin versión", datetime.datetime.now(datetime.UTC))
    form["version"] = ""
    response = client_for(ambassador).post(reverse("commitments:action_edit", args=[action.pk]), form)
    assert response.status_code == 302
    assert Action.objects.get(pk=action.pk).title == "Sin versión"


@pytest.mark.django_db
def test_another_ambassador_cannot_resolve_a_conflict_on_an_action_not_theirs(client_for, ambassador, other_ambassador):
    action = ActionFactory(by=ambassador, title="Original")
    response = client_for(other_ambassador).post(
        reverse("commitments:action_edit", args=[action.pk]), _edit_form(action, "Ajena", action.updated_at)
    )
    assert response.status_code == 404
    assert Action.objects.get(pk=action.pk).title == "Original"


# A resend that says more than the first send (its reply was lost, the person typed on) -------


def _resend(client, commitment, key, title, **extra):
    return client.post(
        reverse("commitments:action_create", args=[commitment.pk]), _form(title, client_key=key, **extra)
    )


@pytest.mark.django_db
def test_a_resend_with_later_edits_saves_them_on_the_action_the_first_send_made(client_for, ambassador, commitment):
    client = client_for(ambassador)
    key = str(uuid.uuid4())
    _resend(client, commitment, key, "Taller")
    response = client.post(
        reverse("commitments:action_create", args=[commitment.pk]),
        _form("Taller de cosecha de lluvia", client_key=key, description="Escrito después del primer envío."),
        follow=True,
    )
    action = Action.objects.get(client_key=key)
    assert response.redirect_chain[-1][0] == reverse("commitments:action", args=[action.pk])
    assert "se guardó lo que escribió después" in response.content.decode()
    assert (action.title, action.description) == ("Taller de cosecha de lluvia", "Escrito después del primer envío.")
    assert Action.objects.filter(ambassador__user=ambassador).count() == 1
    assert action.status_changes.count() == 1


@pytest.mark.django_db
def test_a_resend_of_an_action_changed_since_shows_both_and_overwrites_nothing(client_for, ambassador, commitment):
    client = client_for(ambassador)
    key = str(uuid.uuid4())
    _resend(client, commitment, key, "Taller")
    action = Action.objects.get(client_key=key)
    services.action_update(action=action, by=ambassador, data={"title": "Cambiada en la oficina"})
    url = reverse("commitments:action_create", args=[commitment.pk])
    response = _resend(client, commitment, key, "Escrita en el teléfono")
    assert response.status_code == 200
    assert response["X-Draft-Conflict"] == "1"
    page = response.content.decode()
    assert "Cambiada en la oficina" in page and "Escrita en el teléfono" in page
    assert f'data-draft-conflict="{url}"' in page and f'data-draft-discard="{url}"' in page
    assert Action.objects.get(pk=action.pk).title == "Cambiada en la oficina"
    # The phone's copy, kept from the server's version, is saved over it (with its commitment).
    assert f'name="commitment" value="{commitment.pk}"' in page
    current = Action.objects.get(pk=action.pk).updated_at
    kept = client.post(
        reverse("commitments:action_edit", args=[action.pk]),
        _form("Escrita en el teléfono", commitment=commitment.pk, version=current.isoformat(), kind=action.kind),
    )
    assert kept.status_code == 302
    assert Action.objects.get(pk=action.pk).title == "Escrita en el teléfono"


@pytest.mark.django_db
def test_a_resend_saying_what_the_server_holds_is_just_acknowledged_even_if_it_changed_since(
    client_for, ambassador, commitment
):
    client = client_for(ambassador)
    key = str(uuid.uuid4())
    _resend(client, commitment, key, "Taller")
    action = Action.objects.get(client_key=key)
    services.action_update(action=action, by=ambassador, data={"description": "Añadido en la oficina"})
    changed = Action.objects.get(pk=action.pk).updated_at
    response = _resend(client, commitment, key, "Taller", description="Añadido en la oficina")
    assert response.status_code == 302
    assert response.url == reverse("commitments:action", args=[action.pk])
    assert Action.objects.get(pk=action.pk).updated_at == changed


@pytest.mark.django_db
def test_a_resend_with_edits_after_the_action_went_to_review_keeps_both_and_offers_no_overwrite(
    client_for, ambassador, commitment
):
    client = client_for(ambassador)
    key = str(uuid.uuid4())
    _resend(client, commitment, key, "Taller")
    action = Action.objects.get(client_key=key)
    Action.objects.filter(pk=action.pk).update(status=Action.Status.SUBMITTED, updated_at=action.updated_at)
    same = _resend(client, commitment, key, "Taller")
    assert same.status_code == 302
    response = _resend(client, commitment, key, "Taller con más detalle")
    assert response["X-Draft-Conflict"] == "1"
    page = response.content.decode()
    assert "Taller con más detalle" in page
    assert "Guardar la versión de este teléfono" not in page
    assert Action.objects.get(pk=action.pk).title == "Taller"


@pytest.mark.django_db
def test_a_resend_that_does_not_hold_shows_the_form_and_writes_nothing(client_for, ambassador, commitment):
    client = client_for(ambassador)
    key = str(uuid.uuid4())
    _resend(client, commitment, key, "Taller")
    response = _resend(client, commitment, key, "Taller", people_reached="1", women_reached="5")
    assert response.status_code == 200
    assert "X-Draft-Conflict" not in response
    assert Action.objects.get(client_key=key).women_reached is None
