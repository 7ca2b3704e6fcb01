"""The wording's version follows the catalogue's text: a change of a commitment's text asks the
ambassadors again; a change of what is not the organisation's text does not."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from appointments import services
from appointments.models import Wording
from appointments.wording import wording_of, wording_refresh, wording_version
from commitments.models import Commitment

MIGRATION = importlib.import_module("appointments.migrations.0002_accept_existing_appointments")


def _stored(language="es"):
    return Wording.objects.get(language=language).version


def test_the_migration_computes_the_same_wording_and_version_as_the_app(db):
    for language in ("es", "en", "pt-br"):
        assert MIGRATION._wording(apps, language) == wording_of(language)
        assert MIGRATION._version(MIGRATION._wording(apps, language)) == wording_version(wording_of(language))


def test_the_stored_versions_are_the_current_ones(db):
    for language in ("es", "en", "pt-br"):
        assert _stored(language) == wording_version(wording_of(language))


def test_the_wording_holds_three_axes_and_the_six_commitments_word_for_word(db):
    wording = wording_of("es")
    assert [axis["number"] for axis in wording["axes"]] == [1, 2, 3]
    codes = [commitment["code"] for axis in wording["axes"] for commitment in axis["commitments"]]
    assert codes == ["1.1", "1.2", "1.3", "1.4", "2.1", "3.1"]
    assert wording["axes"][0]["commitments"][2]["text"] == (
        "Promoviendo una cultura de gobierno y participación política accesible a todas las personas."
    )


def test_each_language_has_its_own_version(db):
    assert len({_stored("es"), _stored("en"), _stored("pt-br")}) == 3


@pytest.mark.acceptance_pending
def test_a_changed_commitment_text_asks_the_ambassador_again(client_for, ambassador, accept):
    accept(ambassador)
    client = client_for(ambassador)
    assert client.get(reverse("commitments:actions")).status_code == 200
    before = _stored()
    commitment = Commitment.objects.get(axis__number=1, number=3)
    commitment.text_es = commitment.text_es + " Con lenguaje claro."
    commitment.save()  # as Django admin saves it
    assert _stored() != before
    assert _stored("en") == wording_version(wording_of("en"))
    response = client.get(reverse("commitments:actions"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("appointments:accept"))
    assert "Con lenguaje claro." in client.get(reverse("appointments:accept")).content.decode()
    accept(ambassador)
    assert client.get(reverse("commitments:actions")).status_code == 200


def test_an_english_only_change_leaves_the_spanish_acceptances_alone(ambassador):
    spanish, english = _stored("es"), _stored("en")
    commitment = Commitment.objects.get(axis__number=2, number=1)
    commitment.text_en = "Implement public policies, in other words."
    commitment.save()
    assert _stored("es") == spanish
    assert _stored("en") != english
    assert services.has_accepted(ambassador)


def test_a_short_title_is_a_label_not_the_text_and_changes_nothing(db):
    before = _stored()
    commitment = Commitment.objects.get(axis__number=1, number=1)
    commitment.title_es = "Prácticas que se comparten"
    commitment.save()
    assert _stored() == before


def test_a_missing_version_is_computed_again_when_the_page_needs_it(db):
    Wording.objects.all().delete()
    wording, version = services.wording_for_acceptance(language="pt-br")
    assert _stored("pt-br") == version == wording_version(wording)
    wording_refresh()
    assert Wording.objects.count() == 3
