"""The report's narrative reads as a person would write it, in es, en and pt-BR: plurals follow the
count, zero is said plainly, equal counts and ties are named as such, "del trimestre" contracts."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from axes.models import Axis
from commitments import services
from commitments.models import Indicator
from reports.content import build_snapshot, present
from reports.outputs import render_html
from reports.periods import Period
from reports.tests.factories import ReportedActionFactory

OCTOBER = Period(datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))
Q3 = Period(datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
LANGUAGES = ("es", "en", "pt-br")
SEPTEMBER_3, OCTOBER_3 = datetime.date(2026, 9, 3), datetime.date(2026, 10, 3)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def approve(ambassador, coordinator):
    """approve(day, count=1, commitment="3.1", **fields): Lima's ambassador logs, the coordinator approves."""

    def approve(day, count=1, commitment="3.1", **fields):
        for _ in range(count):
            ReportedActionFactory(by=ambassador, reviewer=coordinator, commitment=commitment, started_on=day, **fields)

    return approve


def narratives(city, kind, period):
    snapshot = build_snapshot(city=city, kind=kind, period=period)
    return {language: present(snapshot, language)["narrative"] for language in LANGUAGES}


def axis_3():
    axis = Axis.objects.get(number=3)
    return {"es": axis.name_es, "en": axis.name_en, "pt-br": axis.name_pt_br}


@pytest.mark.django_db
def test_no_action_in_either_month_is_said_plainly(lima):
    assert narratives(lima, "month", OCTOBER) == {
        "es": "En octubre de 2026, Lima no registró ninguna acción aprobada, como tampoco en septiembre de 2026.",
        "en": "In October 2026, Lima recorded no approved actions, and none in September 2026 either.",
        "pt-br": "Em outubro de 2026, Lima não registrou nenhuma ação aprovada, e tampouco em setembro de 2026.",
    }


@pytest.mark.django_db
def test_no_action_after_a_busy_month_says_how_many_there_were(lima, approve):
    approve(SEPTEMBER_3, count=2)
    assert narratives(lima, "month", OCTOBER) == {
        "es": "En octubre de 2026, Lima no registró ninguna acción aprobada, frente a 2 en septiembre de 2026.",
        "en": "In October 2026, Lima recorded no approved actions, down from 2 in September 2026.",
        "pt-br": "Em outubro de 2026, Lima não registrou nenhuma ação aprovada, contra 2 em setembro de 2026.",
    }


@pytest.mark.django_db
def test_one_action_is_singular_and_its_axis_is_named(lima, approve):
    approve(OCTOBER_3, people_reached=40, women_reached=25, youth_reached=1)
    name = axis_3()
    assert narratives(lima, "month", OCTOBER) == {
        "es": "En octubre de 2026, Lima registró 1 acción aprobada, frente a ninguna en septiembre de 2026. "
        "En total se alcanzó a 40 personas. Entre ellas, 25 mujeres y 1 joven. "
        f"La acción aprobada es del eje 3, «{name['es']}». "
        "5 compromisos no tuvieron acciones aprobadas: 1.1, 1.2, 1.3, 1.4 y 2.1.",
        "en": "In October 2026, Lima recorded 1 approved action, up from none in September 2026. "
        "In all, 40 people were reached. Among them, 25 women and 1 young person. "
        f"The approved action belongs to Axis 3, “{name['en']}”. "
        "5 commitments had no approved actions: 1.1, 1.2, 1.3, 1.4 and 2.1.",
        "pt-br": "Em outubro de 2026, Lima registrou 1 ação aprovada, contra nenhuma em setembro de 2026. "
        "Ao todo, 40 pessoas foram alcançadas. Entre elas, 25 mulheres e 1 jovem. "
        f"A ação aprovada é do eixo 3, “{name['pt-br']}”. "
        "5 compromissos não tiveram ações aprovadas: 1.1, 1.2, 1.3, 1.4 e 2.1.",
    }


@pytest.mark.django_db
def test_two_actions_as_many_as_the_month_before_are_plural_and_equal(lima, approve):
    approve(SEPTEMBER_3, count=2)
    approve(OCTOBER_3, count=2, people_reached=1)
    name = axis_3()
    assert narratives(lima, "month", OCTOBER) == {
        "es": "En octubre de 2026, Lima registró 2 acciones aprobadas, igual que en septiembre de 2026. "
        "En total se alcanzó a 2 personas. "
        f"Las 2 acciones aprobadas son del eje 3, «{name['es']}». "
        "5 compromisos no tuvieron acciones aprobadas: 1.1, 1.2, 1.3, 1.4 y 2.1.",
        "en": "In October 2026, Lima recorded 2 approved actions, as many as in September 2026. "
        "In all, 2 people were reached. "
        f"The 2 approved actions all belong to Axis 3, “{name['en']}”. "
        "5 commitments had no approved actions: 1.1, 1.2, 1.3, 1.4 and 2.1.",
        "pt-br": "Em outubro de 2026, Lima registrou 2 ações aprovadas, tantas quanto em setembro de 2026. "
        "Ao todo, 2 pessoas foram alcançadas. "
        f"As 2 ações aprovadas são do eixo 3, “{name['pt-br']}”. "
        "5 compromissos não tiveram ações aprovadas: 1.1, 1.2, 1.3, 1.4 e 2.1.",
    }


@pytest.mark.django_db
def test_one_action_one_person_and_one_gap_each_in_the_singular(lima, approve):
    for commitment in ("1.1", "1.2", "1.3", "1.4"):
        approve(OCTOBER_3, commitment=commitment)
    approve(OCTOBER_3, commitment="3.1", people_reached=1, women_reached=1)
    spanish = narratives(lima, "month", OCTOBER)
    assert spanish["es"].startswith("En octubre de 2026, Lima registró 5 acciones aprobadas, frente a ninguna")
    assert "En total se alcanzó a 1 persona. El eje" in spanish["es"]  # no breakdown of one person
    assert "El eje con más acciones aprobadas fue el 1, «" in spanish["es"]
    assert spanish["es"].endswith("», con 4. El compromiso 2.1 no tuvo acciones aprobadas.")
    assert "In all, 1 person was reached." in spanish["en"]
    assert spanish["en"].endswith("Commitment 2.1 had no approved actions.")
    assert "Ao todo, 1 pessoa foi alcançada." in spanish["pt-br"]
    assert spanish["pt-br"].endswith("O compromisso 2.1 não teve ações aprovadas.")


@pytest.mark.django_db
def test_a_tie_is_named_as_a_tie_and_the_quarter_contracts(lima, approve):
    approve(datetime.date(2026, 5, 10))
    approve(datetime.date(2026, 7, 4), count=2, commitment="1.1")
    approve(datetime.date(2026, 8, 4), count=2, commitment="3.1")
    assert narratives(lima, "quarter", Q3) == {
        "es": "En el trimestre 3 de 2026, Lima registró 4 acciones aprobadas, 3 más que en el trimestre 2 de 2026. "
        "Los ejes 1 y 3 empatan con 2 acciones cada uno. "
        "4 compromisos no tuvieron acciones aprobadas: 1.2, 1.3, 1.4 y 2.1.",
        "en": "In quarter 3 of 2026, Lima recorded 4 approved actions, 3 more than in quarter 2 of 2026. "
        "Axes 1 and 3 are tied with 2 actions each. "
        "4 commitments had no approved actions: 1.2, 1.3, 1.4 and 2.1.",
        "pt-br": "No 3º trimestre de 2026, Lima registrou 4 ações aprovadas, 3 a mais que no 2º trimestre de 2026. "
        "Os eixos 1 e 3 empatam com 2 ações cada um. "
        "4 compromissos não tiveram ações aprovadas: 1.2, 1.3, 1.4 e 2.1.",
    }


@pytest.mark.django_db
def test_the_report_page_names_the_periods_with_their_contractions(lima, approve):
    approve(datetime.date(2026, 8, 4))
    snapshot = build_snapshot(city=lima, kind="quarter", period=Q3)
    expected = {
        "es": ("Trimestre 3 de 2026 ·", "Cifras del trimestre 3 de 2026 y del trimestre 2 de 2026"),
        "en": ("Quarter 3 of 2026 ·", "Figures for quarter 3 of 2026 and quarter 2 of 2026"),
        "pt-br": ("3º trimestre de 2026 ·", "Números do 3º trimestre de 2026 e do 2º trimestre de 2026"),
    }
    for language, (label, caption) in expected.items():
        with translation.override(language):
            html = render_html(present(snapshot, language))
        assert label in html
        assert f"<caption>{caption}</caption>" in html
        assert "de el " not in html.lower()


@pytest.mark.django_db
def test_the_months_are_written_as_inside_a_sentence(lima):
    snapshot = build_snapshot(city=lima, kind="month", period=OCTOBER)
    captions = {language: present(snapshot, language)["figures_caption"] for language in LANGUAGES}
    labels = {language: present(snapshot, language)["period_label"] for language in LANGUAGES}
    assert captions == {
        "es": "Cifras de octubre de 2026 y de septiembre de 2026",
        "en": "Figures for October 2026 and September 2026",
        "pt-br": "Números de outubro de 2026 e de setembro de 2026",
    }
    assert labels == {"es": "Octubre de 2026", "en": "October 2026", "pt-br": "Outubro de 2026"}


@pytest.fixture
def targets(lima, ambassador):
    """save(baseline_year, due_on): a target on the next increasing indicator, 0 → 100, no values."""
    indicators = iter(Indicator.objects.filter(direction=Indicator.Direction.INCREASE).order_by("code"))

    def save(baseline_year, due_on):
        services.target_save(
            by=ambassador, city=lima, indicator=next(indicators), horizon="medium", baseline=Decimal(0),
            baseline_year=baseline_year, target_value=Decimal(100), due_on=due_on,
        )  # fmt: skip

    return save


ON_TRACK = (2026, datetime.date(2030, 12, 31))  # no progress expected before the end of 2026
AT_RISK = (2024, datetime.date(2026, 12, 31))  # nothing done, most of the way expected by October


@pytest.mark.django_db
def test_each_target_status_takes_its_own_verb(lima, targets):
    targets(*ON_TRACK)
    targets(*AT_RISK)
    targets(*AT_RISK)
    sentences = narratives(lima, "month", OCTOBER)
    assert sentences["es"].endswith(" De 3 metas, 1 va en camino y 2 están en riesgo.")
    assert sentences["en"].endswith(" Of 3 targets, 1 is on track and 2 are at risk.")
    assert sentences["pt-br"].endswith(" De 3 metas, 1 está no caminho certo e 2 estão em risco.")


@pytest.mark.django_db
def test_one_target_and_targets_all_in_one_status_are_said_without_a_tally(lima, targets):
    targets(*ON_TRACK)
    sentences = narratives(lima, "month", OCTOBER)
    assert sentences["es"].endswith(" La única meta de la ciudad va en camino.")
    assert sentences["en"].endswith(" The city's only target is on track.")
    assert sentences["pt-br"].endswith(" A única meta da cidade está no caminho certo.")
    targets(*ON_TRACK)
    sentences = narratives(lima, "month", OCTOBER)
    assert sentences["es"].endswith(" Las 2 metas van en camino.")
    assert sentences["en"].endswith(" The 2 targets are all on track.")
    assert sentences["pt-br"].endswith(" As 2 metas estão no caminho certo.")
