"""The ambassador's pages: Mis acciones, the action's page, its forms, Mi ciudad and targets."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from ambassadors import services as ambassador_services
from ambassadors.tests.factories import CityFactory, UserFactory
from commitments import services
from commitments.models import Action, Indicator, Target
from commitments.tests.factories import ActionFactory


@pytest.mark.django_db
def test_the_list_shows_the_citys_actions_newest_first(client_for, ambassador):
    [ActionFactory(by=ambassador, title=f"Acción {n}", started_on=datetime.date(2026, 1, 1 + n)) for n in range(3)]
    page = client_for(ambassador).get(reverse("commitments:actions")).content.decode()
    assert page.index("Acción 2") < page.index("Acción 1") < page.index("Acción 0")


@pytest.mark.django_db
def test_the_list_runs_the_same_number_of_queries_for_3_or_30_actions(
    client_for, ambassador, django_assert_max_num_queries
):
    client = client_for(ambassador)
    [ActionFactory(by=ambassador, title=f"Acción {n}", started_on=datetime.date(2026, 1, 1 + n)) for n in range(3)]
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("commitments:actions"))
    [ActionFactory(by=ambassador, title=f"Acción {n}", started_on=datetime.date(2026, 1, 1 + n)) for n in range(27)]
    with django_assert_max_num_queries(10) as many:
        response = client.get(reverse("commitments:actions"))
    assert len(few.captured_queries) == len(many.captured_queries)
    assert response.content.decode().count('class="card mb-2"') == 20  # one page


@pytest.mark.django_db
def test_past_its_cap_the_list_says_more_than_and_the_filters_narrow_it(client_for, ambassador, monkeypatch):
    from commitments import views

    monkeypatch.setattr(views, "ACTIONS_PER_PAGE", 2)
    monkeypatch.setattr(views, "ACTIONS_COUNTED", 4)
    for n in range(5):
        ActionFactory(by=ambassador, title=f"Acción {n}", started_on=datetime.date(2026, 1, 1 + n))
    client = client_for(ambassador)
    response = client.get(reverse("commitments:actions"))
    page = response.content.decode()
    assert "Más de 4 acciones: use los filtros para acotar la lista." in page and "5 acciones" not in page
    assert "Página 1 de 2" in page  # the first four, newest first
    last = client.get(reverse("commitments:actions"), {"page": 2}).context["page"]
    assert [action.title for action in last] == ["Acción 2", "Acción 1"]
    narrowed = client.get(reverse("commitments:actions"), {"started_after": "2026-01-03"}).content.decode()
    assert "3 acciones" in narrowed and "Más de" not in narrowed
    exactly = client.get(reverse("commitments:actions"), {"started_after": "2026-01-02"}).content.decode()
    assert "4 acciones" in exactly and "Más de" not in exactly


@pytest.mark.django_db
def test_the_list_filters_by_status_commitment_and_dates_and_searches(client_for, ambassador, commitment):
    submitted = ActionFactory(by=ambassador, title="Taller de agua", started_on=datetime.date(2026, 3, 1))
    services.action_submit(action=submitted, by=ambassador)
    ActionFactory(by=ambassador, title="Foro vecinal", started_on=datetime.date(2026, 6, 1))
    client = client_for(ambassador)

    def titles(**query):
        response = client.get(reverse("commitments:actions"), query)
        return {action.title for action in response.context["page"].object_list}

    assert titles(status="submitted") == {"Taller de agua"}
    assert titles(q="foro") == {"Foro vecinal"}
    assert titles(started_after="2026-05-01") == {"Foro vecinal"}
    assert titles(commitment=commitment.pk, started_before="2026-04-01") == {"Taller de agua"}
    assert titles(axis=commitment.axis_id) == {"Taller de agua", "Foro vecinal"}


@pytest.mark.django_db
def test_another_citys_ambassador_sees_none_of_its_actions(client_for, ambassador, other_ambassador):
    action = ActionFactory(by=ambassador)
    client = client_for(other_ambassador)
    assert client.get(reverse("commitments:actions")).context["page"].paginator.count == 0
    for name in ("action", "action_edit", "action_delete"):
        assert client.get(reverse(f"commitments:{name}", args=[action.pk])).status_code == 404
    for name in ("action_submit", "action_withdraw"):
        assert client.post(reverse(f"commitments:{name}", args=[action.pk])).status_code == 404
    assert Action.objects.get(pk=action.pk).status == "draft"


@pytest.mark.django_db
def test_a_coordinator_in_scope_reads_the_action_but_cannot_edit_it(client_for, ambassador, coordinator):
    action = ActionFactory(by=ambassador)
    client = client_for(coordinator)
    assert client.get(reverse("commitments:action", args=[action.pk])).status_code == 200
    assert client.get(reverse("commitments:action_edit", args=[action.pk])).status_code == 403
    assert client.post(reverse("commitments:action_edit", args=[action.pk]), {"title": "x"}).status_code == 403


@pytest.mark.django_db
def test_the_action_page_runs_a_fixed_number_of_queries(
    client_for, ambassador, commitment, django_assert_max_num_queries
):
    action = ActionFactory(by=ambassador)
    indicator = commitment.indicators.get(code="3.1-a")
    services.action_update(
        action=action,
        by=ambassador,
        data={},
        indicator_values={indicator.pk: Decimal("12")},
        links=[{"url": f"https://example.org/{n}", "title": ""} for n in range(5)],
    )
    bare = ActionFactory(by=ambassador, incomplete=True)
    client = client_for(ambassador)
    with django_assert_max_num_queries(18) as rich_page:
        response = client.get(reverse("commitments:action", args=[action.pk]))
    with django_assert_max_num_queries(18) as bare_page:
        client.get(reverse("commitments:action", args=[bare.pk]))
    assert response.status_code == 200
    assert len(rich_page.captured_queries) == len(bare_page.captured_queries)


@pytest.mark.django_db
def test_a_draft_is_saved_with_only_a_title_and_its_values_and_links(client_for, ambassador, commitment):
    indicator = commitment.indicators.get(code="3.1-a")
    yes_no = commitment.indicators.filter(kind="number").exclude(pk=indicator.pk).first()
    response = client_for(ambassador).post(
        reverse("commitments:action_create", args=[commitment.pk]),
        {
            "title": "Cosecha de lluvia",
            f"values-indicator_{indicator.pk}": "350.5",
            f"values-indicator_{yes_no.pk}": "",
            "links-TOTAL_FORMS": "1",
            "links-INITIAL_FORMS": "0",
            "links-0-url": "https://example.org/nota",
            "links-0-title": "Nota de prensa",
            "save": "",
        },
    )
    action = Action.objects.get(title="Cosecha de lluvia")
    assert response.url == reverse("commitments:action", args=[action.pk])
    assert action.status == "draft"
    assert list(action.indicator_values.values_list("value", flat=True)) == [Decimal("350.50")]
    assert list(action.evidence.values_list("url", flat=True)) == ["https://example.org/nota"]


@pytest.mark.django_db
def test_a_bad_value_keeps_everything_typed_and_says_why(client_for, ambassador, commitment):
    percentage = commitment.indicators.get(code="3.1-b")
    response = client_for(ambassador).post(
        reverse("commitments:action_create", args=[commitment.pk]),
        {
            "title": "Cobertura de agua",
            "description": "Texto largo que no debe perderse",
            "people_reached": "10",
            "women_reached": "8",
            "men_reached": "5",
            f"values-indicator_{percentage.pk}": "140",
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert not Action.objects.exists()
    assert "Texto largo que no debe perderse" in page
    assert "Mujeres, hombres y otras personas suman más que el total alcanzado." in page
    assert "Asegúrese de que este valor es menor o igual a 100." in page


@pytest.mark.django_db
def test_other_cities_are_folded_by_country_and_a_refused_form_keeps_the_chosen_ones(
    client_for, ambassador, other_ambassador, rosario, commitment
):
    """Hundreds of cities stay a short list on a phone: one fold per country, open where a city
    is chosen; what was chosen survives a refusal."""
    cordoba = CityFactory(country=rosario.country, name="Córdoba")
    ambassador_services.ambassador_appoint(
        city=cordoba, user=UserFactory(username="carla"), appointed_on=datetime.date(2025, 3, 1)
    )
    url = reverse("commitments:action_create", args=[commitment.pk])
    page = client_for(ambassador).get(url).content.decode()
    assert page.count("<details") == 1  # Argentina; Lima's own Peru has no other city
    assert "Argentina <span" in page and "(2 ciudades)" in page
    assert f'value="{rosario.pk}"' in page and f'value="{cordoba.pk}"' in page

    response = client_for(ambassador).post(
        url,
        {
            "title": "Intercambio con Rosario",
            "people_reached": "-1",
            "cities_involved": [rosario.pk],
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
        },
    )
    page = response.content.decode()
    assert not Action.objects.exists()
    assert '<details class="mb-1" open>' in page and "1 elegida" in page
    assert f'value="{cordoba.pk}" id="id_cities_involved_0">' in page  # alphabetical: Córdoba first
    assert f'value="{rosario.pk}" id="id_cities_involved_1" checked' in page


@pytest.mark.django_db
def test_the_checks_of_one_field_are_reported_at_that_field(client_for, ambassador, commitment):
    """The table's checks on dates and people come back as errors of the field they concern, so
    the form marks that field (aria-invalid, its message tied to it), with a message of ours, not
    the constraint's name."""
    response = client_for(ambassador).post(
        reverse("commitments:action_create", args=[commitment.pk]),
        {
            "title": "Fechas al revés",
            "started_on": "2026-05-10",
            "ended_on": "2026-05-01",
            "people_reached": "10",
            "women_reached": "8",
            "men_reached": "5",
            "youth_reached": "12",
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
        },
    )
    form = response.context["form"]
    assert form.errors == {
        "ended_on": ["La fecha de fin no puede ser anterior a la de inicio."],
        "people_reached": ["Mujeres, hombres y otras personas suman más que el total alcanzado."],
        "youth_reached": ["No puede ser más que el total de personas alcanzadas."],
    }
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Action.objects.exists()


def test_every_check_named_for_a_field_exists_and_so_does_its_field():
    names = {constraint.name for constraint in Action._meta.constraints}
    for constraint, field in Action.CONSTRAINT_FIELDS.items():
        assert constraint in names
        Action._meta.get_field(field)


@pytest.mark.django_db
def test_submitting_an_incomplete_draft_shows_what_is_missing_field_by_field(client_for, ambassador, commitment):
    client = client_for(ambassador)
    response = client.post(
        reverse("commitments:action_create", args=[commitment.pk]),
        {
            "title": "Solo el título",
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
            "submit": "",
        },
        follow=True,
    )
    action = Action.objects.get(title="Solo el título")
    assert action.status == "draft"
    assert response.redirect_chain[-1][0] == reverse("commitments:action_edit", args=[action.pk]) + "?enviar=1"
    form = response.context["form"]
    assert form.errors["started_on"] == ["Indique cuándo empezó la acción."]
    assert form.errors["description"] == ["Cuente qué se hizo."]
    assert "focus_areas" in form.errors


@pytest.mark.django_db
def test_the_submit_button_on_the_action_page_sends_a_complete_draft(client_for, ambassador):
    action = ActionFactory(by=ambassador)
    response = client_for(ambassador).post(reverse("commitments:action_submit", args=[action.pk]))
    assert response.url == reverse("commitments:action", args=[action.pk])
    assert Action.objects.get(pk=action.pk).status == "submitted"


@pytest.mark.django_db
def test_the_returned_comment_is_shown_at_the_top_of_the_action(client_for, ambassador, coordinator, submitted_action):
    services.action_return(action=submitted_action, by=coordinator, comment="Añada la lista de asistentes.")
    page = client_for(ambassador).get(reverse("commitments:action", args=[submitted_action.pk])).content.decode()
    assert page.index("Añada la lista de asistentes.") < page.index("Qué se hizo")


@pytest.mark.django_db
def test_the_edit_form_changes_a_returned_action_and_resubmits_it(
    client_for, ambassador, coordinator, submitted_action
):
    services.action_return(action=submitted_action, by=coordinator, comment="Falta el resultado.")
    client = client_for(ambassador)
    form = client.get(reverse("commitments:action_edit", args=[submitted_action.pk])).context["form"]
    data = {
        **{
            key: value
            for key, value in form.initial.items()
            if value is not None and key not in ("focus_areas", "cities_involved")
        },
        "commitment": submitted_action.commitment_id,
        "focus_areas": [area.pk for area in submitted_action.focus_areas.all()],
        "outcome": "Se recogieron 2 toneladas de residuos.",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "submit": "",
    }
    data.pop("id", None)
    response = client.post(reverse("commitments:action_edit", args=[submitted_action.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    submitted_action.refresh_from_db()
    assert (submitted_action.status, submitted_action.outcome) == (
        "submitted",
        "Se recogieron 2 toneladas de residuos.",
    )


@pytest.mark.django_db
def test_a_per_period_indicator_shows_its_latest_approved_value(ambassador, coordinator, lima, commitment):
    indicator = commitment.indicators.get(code="3.1-b")  # safely managed water, percentage
    target = services.target_save(
        by=coordinator,
        city=lima,
        indicator=indicator,
        horizon="medium",
        baseline=Decimal("60"),
        baseline_year=2025,
        target_value=Decimal("90"),
        due_on=datetime.date(2030, 12, 31),
    )
    for started_on, value in ((datetime.date(2026, 2, 1), Decimal("70")), (datetime.date(2026, 9, 1), Decimal("75"))):
        ActionFactory(
            by=ambassador,
            indicator_values={indicator.pk: value},
            status="approved",
            reviewer=coordinator,
            started_on=started_on,
        )
    target = Target.objects.with_progress().get(pk=target.pk)
    assert (target.current_value, target.progress_percent) == (Decimal("75"), 50)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [("ambassador", 200), ("coordinator", 200), ("other_ambassador", 404), ("coordinator_elsewhere", 404)],
)
def test_who_may_set_a_citys_targets(request, client_for, lima, who, status):
    client = client_for(request.getfixturevalue(who))
    indicator = Indicator.objects.get(code="1.2-a")
    response = client.post(
        reverse("commitments:target_create", args=[lima.pk]),
        {
            "indicator": indicator.pk,
            "horizon": "long",
            "baseline": "0",
            "baseline_year": "2025",
            "target_value": "1000",
            "due_on": "2030-12-31",
        },
    )
    assert response.status_code == (302 if status == 200 else 404)
    assert Target.objects.filter(city=lima).exists() == (status == 200)


@pytest.mark.django_db
def test_a_second_target_for_the_same_indicator_and_horizon_is_refused_with_a_message(client_for, ambassador, lima):
    indicator = Indicator.objects.get(code="1.2-a")
    data = {
        "indicator": indicator.pk,
        "horizon": "long",
        "baseline": "0",
        "baseline_year": "2025",
        "target_value": "1000",
        "due_on": "2030-12-31",
    }
    client = client_for(ambassador)
    client.post(reverse("commitments:target_create", args=[lima.pk]), data)
    response = client.post(reverse("commitments:target_create", args=[lima.pk]), data)
    assert response.status_code == 200
    assert "La ciudad ya tiene una meta para este indicador y horizonte." in response.content.decode()
    assert Target.objects.filter(city=lima).count() == 1


@pytest.mark.django_db
def test_an_ambassador_lands_on_mi_ciudad_with_links_to_their_actions(client_for, ambassador, lima):
    response = client_for(ambassador).get(reverse("ambassadors:landing"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("reports:city_progress", args=[lima.pk])
    assert reverse("commitments:actions") in response.content.decode()
