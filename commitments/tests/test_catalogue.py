import datetime
import importlib

import pytest
from django.urls import reverse
from django.utils import translation

from axes.models import Axis
from commitments import services
from commitments.models import Commitment, FocusArea, Indicator

# The organisation's own words ("Funciones y Compromisos"), copied character for character.
# The project never reads the seed at run or test time: these literals are the pin.
SEED_COMMITMENTS = {
    "1.1": (
        "Fortalecer los lazos internacionales a través de compartir las prácticas exitosas de sus gobiernos que "
        "destaquen por un alto impacto de innovación social y ambiental."
    ),
    "1.2": (
        "Difundir la nueva Escuela de Gobernanza Emocional, la cual promueve una nueva cultura de gobierno ágil, "
        "efectiva y humana, una forma de liderazgo creativo, dinámico, sensible, de escucha activa y cercana al "
        "ciudadano, con aire y consciencia de mejora."
    ),
    "1.3": "Promoviendo una cultura de gobierno y participación política accesible a todas las personas.",
    "1.4": (
        "Fomentar la cultura de atracción de recursos y fondos internacionales hacia sus localidades para financiar "
        "las acciones hacia la transición ecológica. Fomentando el diagnóstico, la estrategia y planeación de una "
        "transición viable a corto, mediano y largo plazo."
    ),
    "2.1": (
        "Implementar políticas públicas y acciones de gobierno hacia sociedades inclusivas, prósperas e "
        "igualitarias. Programas y acciones que impulsen la renovación de los sistemas sociales y de las ciudades, "
        "promoviendo el cuidado de los ecosistemas, el fortalecimiento de la economía local y el empoderamiento de "
        "todas y todos los ciudadanos."
    ),
    "3.1": (
        "Gestión integrada de recursos hídricos: soluciones complejas para la prevención de la contaminación, "
        "protección del suelo y las aguas subterráneas, la seguridad alimentaria, gestión de riesgo de desastres "
        "incluyendo inundaciones, sequías y aquellos ocasionados por el hombre, almacenamiento de agua y reciclaje, "
        "el nexo agua-alimento-energía."
    ),
}
SEED_AXES = {
    1: "Dinamización de la Cultura de Gobierno",
    2: "Desarrollo humano y restauración del tejido social",
    3: (
        "Acción climática para proteger los océanos y ecosistemas terrestres y dobles esfuerzos en el cumplimiento "
        "ODS 6 Agua y Saneamiento"
    ),
}


@pytest.mark.django_db
def test_the_six_commitments_keep_the_seed_spanish_text_character_for_character():
    texts = {commitment.code: commitment.text_es for commitment in Commitment.objects.with_axis()}
    assert texts == SEED_COMMITMENTS


@pytest.mark.django_db
def test_the_three_axes_keep_the_seed_names_and_sdgs():
    axes = {axis.number: (axis.name_es, axis.sdg_goals) for axis in Axis.objects.all()}
    assert axes == {
        1: (SEED_AXES[1], [16, 17]),
        2: (SEED_AXES[2], [1, 5, 8, 10, 11]),
        3: (SEED_AXES[3], [6, 13, 14, 15]),
    }


@pytest.mark.django_db
def test_every_catalogue_text_is_translated_to_english_and_portuguese():
    for commitment in Commitment.objects.all():
        assert all([commitment.title_en, commitment.title_pt_br, commitment.text_en, commitment.text_pt_br])
    for model, field in [(Axis, "name"), (Axis, "description"), (FocusArea, "name"), (Indicator, "name")]:
        for obj in model.objects.all():
            assert getattr(obj, f"{field}_en") and getattr(obj, f"{field}_pt_br"), (obj, field)


@pytest.mark.django_db
def test_translated_fields_follow_the_active_language_and_fall_back_to_spanish():
    commitment = Commitment.objects.with_axis().get(axis__number=3, number=1)
    with translation.override("pt-br"):
        assert commitment.title == "Gestão integrada de recursos hídricos"
    commitment.title_en = ""
    with translation.override("en"):
        assert commitment.title == commitment.title_es


@pytest.mark.django_db
def test_every_commitment_has_focus_areas_and_indicators_named_in_the_issue():
    for commitment in Commitment.objects.all():
        assert commitment.focus_areas.exists(), commitment
        assert commitment.indicators.exists(), commitment
    sdg_codes = set(Indicator.objects.exclude(sdg_indicator="").values_list("sdg_indicator", flat=True))
    assert {"6.1.1", "6.3.1"} <= sdg_codes
    names = set(Indicator.objects.values_list("name_es", flat=True))
    assert "Personas formadas en Gobernanza Emocional" in names
    assert "Fondos internacionales movilizados" in names
    assert Indicator.objects.get(code="1.4-a").unit_es == "USD"


@pytest.mark.django_db
def test_the_typed_funds_indicator_is_retired_money_is_the_funding_pipeline(client_for, ambassador, lima):
    """1.4-a "Fondos internacionales movilizados" repeated in one number what the fund rows held
    (now the funding pipeline's opportunities): it stays in the catalogue, inactive, so nothing
    new is typed on it and what was typed reads. The action form types no money at all."""
    retired = Indicator.objects.get(code="1.4-a")
    assert not retired.active
    assert Indicator.objects.filter(active=True).count() == 27  # 19 seeded, less 1.4-a, and 9 of SDG 6 (0021)
    funds_commitment = Commitment.objects.with_axis().get(axis__number=1, number=4)
    client = client_for(ambassador)
    form_page = client.get(reverse("commitments:action_create", args=[funds_commitment.pk]))
    assert f"indicator_{retired.pk}" not in form_page.context["values_form"].fields
    assert {indicator.code for indicator in form_page.context["values_form"].indicators} == {"1.4-b", "1.4-c"}
    assert "funds-TOTAL_FORMS" not in form_page.content.decode()
    target_page = client.get(reverse("commitments:target_create", args=[lima.pk]))
    assert retired not in target_page.context["form"].fields["indicator"].queryset
    # A value typed before the retirement stays readable on its action's page.
    action = services.action_create(
        by=ambassador, commitment=funds_commitment, data={"title": "Fondo"}, indicator_values={retired.pk: 250000}
    )
    page = client.get(reverse("commitments:action", args=[action.pk])).content.decode()
    assert "Fondos internacionales movilizados" in page


@pytest.mark.django_db
def test_a_target_set_on_the_retired_funds_indicator_can_still_be_edited(client_for, ambassador, lima):
    retired = Indicator.objects.get(code="1.4-a")
    retired.active = True  # as it was when the target was set
    target = services.target_save(
        by=ambassador,
        city=lima,
        indicator=retired,
        horizon="short",
        baseline=0,
        baseline_year=2025,
        target_value=100000,
        due_on=datetime.date(2027, 12, 31),
    )
    client = client_for(ambassador)
    response = client.post(
        reverse("commitments:target_edit", args=[target.pk]),
        {
            "indicator": retired.pk,
            "horizon": "short",
            "baseline": "0",
            "baseline_year": "2025",
            "target_value": "150000",
            "due_on": "2027-12-31",
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.indicator == retired and target.target_value == 150000
    new_target_form = client.get(reverse("commitments:target_create", args=[lima.pk])).context["form"]
    assert retired not in new_target_form.fields["indicator"].queryset


@pytest.mark.django_db
def test_the_retirement_of_the_typed_funds_indicator_can_be_reversed():
    from django.apps import apps

    retirement = importlib.import_module("commitments.migrations.0016_retire_typed_funds_indicator")
    retirement.offer_typed_funds_again(apps, None)
    assert Indicator.objects.get(code="1.4-a").active
    retirement.retire_typed_funds(apps, None)
    assert not Indicator.objects.get(code="1.4-a").active


@pytest.mark.django_db
def test_focus_areas_of_commitment_3_1_are_the_themes_its_text_names():
    names = list(
        FocusArea.objects.filter(commitment__axis__number=3, commitment__number=1)
        .order_by("order")
        .values_list("name_es", flat=True)
    )
    assert names == [
        "Prevención de la contaminación",
        "Protección del suelo y las aguas subterráneas",
        "Seguridad alimentaria",
        "Gestión de riesgo de desastres",
        "Almacenamiento y reciclaje de agua",
        "Nexo agua-alimento-energía",
    ]


@pytest.mark.django_db
def test_a_commitment_number_is_unique_within_its_axis():
    from django.db import IntegrityError

    axis = Axis.objects.get(number=1)
    with pytest.raises(IntegrityError):
        Commitment.objects.create(axis=axis, number=1, title_es="Otro", text_es="Otro texto")


@pytest.mark.django_db
def test_a_percentage_indicator_cannot_be_summed_across_actions():
    from django.db import IntegrityError

    commitment = Commitment.objects.first()
    with pytest.raises(IntegrityError):
        Indicator.objects.create(
            commitment=commitment,
            code="X-1",
            name_es="Cobertura",
            unit_es="%",
            kind="percentage",
            aggregation="cumulative",
        )


@pytest.mark.django_db
def test_the_home_page_shows_the_preamble_and_the_three_axes_with_their_commitments(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        response = client.get(reverse("home"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "El nombramiento de embajador de la Organización Mundial de Ciudades Sostenibles" in page
    assert "en el desarrollo de la consciencia ecológica" in page
    for name in SEED_AXES.values():
        assert name in page
    for text in SEED_COMMITMENTS.values():
        assert text in page


@pytest.mark.django_db
def test_an_inactive_commitment_is_not_shown_on_the_home_page(client):
    Commitment.objects.filter(axis__number=1, number=3).update(active=False)
    page = client.get(reverse("home")).content.decode()
    assert SEED_COMMITMENTS["1.3"] not in page
    assert SEED_COMMITMENTS["1.4"] in page
