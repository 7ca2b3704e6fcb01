"""Searching the library (?q=): accents and case do not matter, Spanish and Portuguese words
both find a practice, the best match comes first, and a practice not yet published is never
found by anyone outside its city. Runs on SQLite and on PostgreSQL, whichever the suite uses."""

import pytest
from django.urls import reverse

from ambassadors.tests.factories import AmbassadorFactory
from practices.models import Practice
from practices.tests.factories import PracticeFactory

UNRELATED = {
    "title": "Huertos urbanos en azoteas",
    "summary_es": "Las familias cultivan hortalizas en los techos de sus casas.",
    "problem": "Poca verdura fresca en los barrios altos.",
    "what_was_done": "Semillas y capacitación para 200 hogares.",
    "results": "Cosechas todo el año.",
    "funding": "Fondo vecinal.",
    "lessons": "Elegir especies de la zona.",
    "how_to_replicate": "Un vivero municipal y un calendario de siembra.",
}


@pytest.fixture
def school(ambassador):
    """Lima's published practice, with a Portuguese summary."""
    return PracticeFactory(
        by=ambassador,
        status=Practice.Status.PUBLISHED,
        summary_pt_br="Uma escola municipal de governança emocional para os servidores.",
    )


@pytest.fixture
def gardens(db):
    return PracticeFactory(by=AmbassadorFactory().user, status=Practice.Status.PUBLISHED, **UNRELATED)


def found(client, text):
    response = client.get(reverse("practices:list"), {"q": text})
    assert response.status_code == 200
    return [practice.title for practice in response.context["page"].object_list]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    ["gobernanza emocional", "GOBERNANZA EMOCIONAL", "Gobernánza emociónal", "governança", "governanca", "escuela"],
)
def test_a_practice_is_found_whatever_the_accents_case_or_language_of_the_words(
    client_for, other_ambassador, school, gardens, text
):
    assert found(client_for(other_ambassador), text) == [school.title]


@pytest.mark.django_db
def test_the_other_practice_is_found_by_its_own_words(client_for, other_ambassador, school, gardens):
    assert found(client_for(other_ambassador), "hortalizas azoteas") == [gardens.title]
    assert found(client_for(other_ambassador), "gobernanza hortalizas") == []


@pytest.mark.django_db
def test_a_title_match_ranks_above_a_match_in_the_text(client_for, other_ambassador, school, gardens):
    in_text_only = PracticeFactory(
        by=AmbassadorFactory().user,
        status=Practice.Status.PUBLISHED,
        **{**UNRELATED, "title": "Atención ciudadana", "lessons": "Sumar huertos a la escuela de atención."},
    )
    assert found(client_for(other_ambassador), "huertos") == [gardens.title, in_text_only.title]


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Practice.Status.DRAFT, Practice.Status.SUBMITTED, Practice.Status.RETURNED])
def test_a_practice_not_yet_published_is_never_found_by_outsiders(
    client_for, ambassador, other_ambassador, coordinator_elsewhere, status
):
    PracticeFactory(by=ambassador, status=status, title="Presupuesto participativo digital")
    for outsider in (other_ambassador, coordinator_elsewhere):
        assert found(client_for(outsider), "presupuesto participativo") == []


@pytest.mark.django_db
def test_an_empty_or_blank_query_lists_the_whole_library(client_for, other_ambassador, school, gardens):
    assert set(found(client_for(other_ambassador), "   ")) == {school.title, gardens.title}
