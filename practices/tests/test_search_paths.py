"""practices.search on the database the suite runs on (SQLite here, PostgreSQL in CI), and its
SQLite path on any database: the folded-words match uses only portable lookups."""

import pytest

from practices import search, services
from practices.models import Practice
from practices.tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db

QUERIES = [
    "gobernanza emocional",
    "GOBERNANZA EMOCIONAL",
    "Gobernánza Emociónal",
    "gobernanza   emocional ",
    "atencion ciudadana",
    "ATENCIÓN",
    "governanca",  # a word of the Portuguese summary, typed without its cedilla and tilde
]


@pytest.fixture
def library(ambassador, other_ambassador, seeded_catalogue):
    wanted = PracticeFactory(
        by=ambassador,
        title="Escuela de Gobernanza Emocional Kallpa: atención ciudadana",
        summary_pt_br="Uma escola de governança emocional para os servidores.",
    )
    unrelated = PracticeFactory(
        by=other_ambassador,
        title="Huertos comunitarios en azoteas",
        summary_es="Huertos en techos de escuelas públicas.",
        problem="Falta de espacios verdes.",
        what_was_done="Se instalaron huertos.",
        results="Cuarenta huertos.",
        how_to_replicate="Con las juntas vecinales.",
        lessons="",
        funding="",
    )
    return wanted, unrelated


@pytest.mark.parametrize("text", QUERIES)
def test_accents_and_case_do_not_matter(library, text):
    wanted, _unrelated = library
    assert list(search.matching(Practice.objects.all(), text)) == [wanted]


@pytest.mark.parametrize("text", QUERIES)
def test_the_folded_words_match_finds_the_same_on_any_database(library, text, monkeypatch):
    monkeypatch.setattr(search, "_is_postgresql", lambda: False)
    wanted, _unrelated = library
    assert list(search.matching(Practice.objects.all(), text)) == [wanted]


def test_every_word_must_match_and_no_text_matches_all(library):
    assert not search.matching(Practice.objects.all(), "gobernanza huertos").exists()
    assert search.matching(Practice.objects.all(), "  ").count() == 2


def test_a_title_match_ranks_above_a_match_in_the_text(library, ambassador):
    PracticeFactory(by=ambassador, title="Presupuesto participativo", lessons="Sin gobernanza emocional no funciona.")
    found = list(search.matching(Practice.objects.all(), "gobernanza emocional").order_by("-rank"))
    assert found[0].title.startswith("Escuela de Gobernanza Emocional")
    assert len(found) == 2


def test_a_changed_practice_is_found_by_its_new_words(library, ambassador):
    wanted, _unrelated = library
    assert list(search.matching(Practice.objects.all(), "kallpa")) == [wanted]
    services.practice_update(
        practice=wanted,
        by=ambassador,
        data={"title": "Escuela de liderazgo sensible"},
        actions=list(wanted.actions.all()),
    )
    assert not search.matching(Practice.objects.all(), "kallpa").exists()
    assert list(search.matching(Practice.objects.all(), "liderazgo sensible")) == [wanted]
