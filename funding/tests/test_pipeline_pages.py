"""The pipeline pages: who sees a city's board and its opportunities, and how its ambassador
registers one, moves it to awarded, records the money received and keeps its documents."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ambassadors.tests.factories import AmbassadorFactory, CityFactory, UserFactory
from commitments.models import ExchangeRate
from commitments.sample_files import pdf_bytes, png_bytes, upload
from commitments.tests.factories import ActionFactory
from funding.models import Disbursement, Document, Opportunity, OpportunityStageChange, TransitionPlan
from funding.tests.factories import (
    DisbursementFactory,
    DocumentFactory,
    FunderFactory,
    OpportunityFactory,
    TransitionPlanFactory,
)

pytestmark = pytest.mark.django_db


def page_messages(response):
    return [str(message) for message in response.context["messages"]]


def field_errors(response, form_name, field):
    return [str(error) for error in response.context[form_name].errors.get(field, [])]


@pytest.fixture
def pen_rate(db):
    """1 PEN = 0.27 USD since 2020."""
    return ExchangeRate.objects.create(
        currency="PEN", usd_per_unit=Decimal("0.27"), effective_on=datetime.date(2020, 1, 1)
    )


@pytest.fixture
def opportunity(ambassador, pen_rate):
    """Lima's opportunity of 100 000 PEN (27 000 USD), identified late in 2025, its deadline in 10 days."""
    return OpportunityFactory(
        by=ambassador,
        title="Fondo verde para buses",
        amount=Decimal("100000.00"),
        currency="PEN",
        identified_on=datetime.date(2025, 11, 3),
        deadline=timezone.localdate() + datetime.timedelta(days=10),
    )


@pytest.fixture
def awarded(ambassador):
    """Lima's opportunity awarded 80 000 USD, 50 000 of them received."""
    opportunity = OpportunityFactory(
        by=ambassador, title="Préstamo de eficiencia", stage="awarded", amount_awarded=Decimal("80000.00")
    )
    DisbursementFactory(opportunity=opportunity, amount=Decimal("50000.00"))
    return opportunity


def move(client, opportunity, **data):
    return client.post(reverse("funding:opportunity_move", args=[opportunity.pk]), data)


# Boards ----------------------------------------------------------------------------------


def test_the_ambassador_goes_from_financiamiento_to_their_city_board(client_for, ambassador, lima):
    response = client_for(ambassador).get(reverse("funding:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("funding:board", args=[lima.pk])


def test_anonymous_people_log_in_and_people_outside_the_network_are_refused(client, client_for):
    response = client.get(reverse("funding:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client_for(UserFactory()).get(reverse("funding:index")).status_code == 403


def test_the_navigation_links_financiamiento_for_network_members(client_for, ambassador, coordinator):
    for user in (ambassador, coordinator):
        page = client_for(user).get(reverse("practices:list")).content.decode()
        assert f'href="{reverse("funding:index")}">Financiamiento</a>' in page


@pytest.mark.parametrize("role", ["ambassador", "coordinator", "admin"])
def test_the_city_board_shows_each_opportunity_in_its_stage_column(role, request, client_for, lima, opportunity):
    response = client_for(request.getfixturevalue(role)).get(reverse("funding:board", args=[lima.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Financiamiento de Lima" in page
    identified = next(column for column in response.context["columns"] if column["stage"] == "identified")
    assert [o.title for o in identified["opportunities"]] == ["Fondo verde para buses"]
    assert "100\xa0000,00 PEN" in page and "27\xa0000,00 USD" in page
    assert "(en 10 días)" in page  # its deadline, in the column and among the next deadlines
    assert ("Registrar una oportunidad" in page) == (role == "ambassador")


def test_a_long_stage_shows_its_nearest_deadlines_on_the_board_and_all_of_them_a_link_away(
    client_for, coordinator, ambassador, lima, monkeypatch
):
    from funding import boards, views

    today = timezone.localdate()
    for days in range(boards.CARDS_PER_STAGE + 2, 0, -1):
        OpportunityFactory(
            by=ambassador, title=f"Convocatoria a {days} días", deadline=today + datetime.timedelta(days=days)
        )
    OpportunityFactory(by=ambassador, title="Convocatoria sin plazo", deadline=None)
    OpportunityFactory(by=ambassador, title="Convocatoria presentada", stage="submitted")
    client = client_for(coordinator)
    response = client.get(reverse("funding:board", args=[lima.pk]))
    columns = {column["stage"]: column for column in response.context["columns"]}
    identified = [o.title for o in columns["identified"]["opportunities"]]
    assert identified == [f"Convocatoria a {days} días" for days in range(1, boards.CARDS_PER_STAGE + 1)]
    assert columns["identified"]["count"] == boards.CARDS_PER_STAGE + 3 and columns["identified"]["more"] == 3
    assert [o.title for o in columns["submitted"]["opportunities"]] == ["Convocatoria presentada"]
    stage_url = reverse("funding:board_stage", args=[lima.pk, "identified"])
    page = response.content.decode()
    assert f'<a class="text-primary-emphasis" href="{stage_url}">Ver las 15 oportunidades de «Identificada»</a>' in page
    assert reverse("funding:board_stage", args=[lima.pk, "submitted"]) not in page  # all of it shows

    monkeypatch.setattr(views, "STAGE_CARDS_PER_PAGE", 10)
    first = client.get(stage_url)
    assert [o.title for o in first.context["page"]] == [f"Convocatoria a {days} días" for days in range(1, 11)]
    assert "15 oportunidades en esta etapa; primero la fecha límite más próxima" in first.content.decode()
    last = client.get(stage_url, {"page": 2})
    titles = [o.title for o in last.context["page"]]
    assert titles == [f"Convocatoria a {days} días" for days in range(11, 15)] + ["Convocatoria sin plazo"]
    assert "(en 14 días)" in last.content.decode()  # each card with its deadline, as on the board


def test_a_stage_list_of_another_city_or_no_stage_is_not_found(client_for, ambassador, other_ambassador, lima):
    OpportunityFactory(by=ambassador)
    client = client_for(other_ambassador)
    assert client.get(reverse("funding:board_stage", args=[lima.pk, "identified"])).status_code == 404
    own = client_for(ambassador)
    assert own.get(reverse("funding:board_stage", args=[lima.pk, "nope"])).status_code == 404
    assert own.get(reverse("funding:board_stage", args=[lima.pk, "identified"])).status_code == 200


def test_an_amount_without_a_rate_says_so_instead_of_zero(client_for, ambassador, lima):
    OpportunityFactory(by=ambassador, amount=Decimal("5000.00"), currency="BOB")
    page = client_for(ambassador).get(reverse("funding:board", args=[lima.pk])).content.decode()
    assert (
        '5\xa0000,00 BOB</span> <span class="text-body-secondary">· <span class="text-nowrap">sin tipo de cambio'
        in page
    )
    sought = page[page.index("Buscado") : page.index("Otorgado")]
    assert "sin tipo de cambio" in sought and "USD" not in sought


def test_the_board_shows_overdue_and_awarded_cards_in_words(client_for, ambassador, lima, awarded):
    OpportunityFactory(
        by=ambassador, title="Convocatoria vencida", deadline=timezone.localdate() - datetime.timedelta(days=2)
    )
    page = client_for(ambassador).get(reverse("funding:board", args=[lima.pk])).content.decode()
    assert "Venció el" in page
    assert "Otorgado: <span" in page and "80\xa0000,00 USD" in page


def test_the_city_board_reads_a_bounded_number_of_queries(
    client_for, ambassador, lima, pen_rate, django_assert_max_num_queries
):
    for stage in Opportunity.Stage.values:
        OpportunityFactory.create_batch(3, by=ambassador, stage=stage, currency="PEN", amount_awarded=Decimal("10"))
    client = client_for(ambassador)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("funding:board", args=[lima.pk]))
    assert sum(column["count"] for column in response.context["columns"]) == 18


# The scope board -------------------------------------------------------------------------


@pytest.fixture
def two_city_coordinator(peru, argentina, lima, rosario, ambassador, other_ambassador, pen_rate):
    """A coordinator of Peru and Argentina: Lima seeks 100 000 PEN (27 000 USD) and was awarded
    40 000 USD; Rosario seeks 2 000 000 ARS (2 000 USD) and 1 000 BOB (no rate)."""
    ExchangeRate.objects.create(currency="ARS", usd_per_unit=Decimal("0.001"), effective_on=datetime.date(2020, 1, 1))
    OpportunityFactory(by=ambassador, amount=Decimal("100000.00"), currency="PEN")
    OpportunityFactory(by=ambassador, stage="awarded", amount=Decimal("40000.00"), amount_awarded=Decimal("40000.00"))
    OpportunityFactory(by=other_ambassador, amount=Decimal("2000000.00"), currency="ARS", stage="submitted")
    OpportunityFactory(by=other_ambassador, amount=Decimal("1000.00"), currency="BOB")
    user = UserFactory(username="coord.sur")
    from ambassadors import services as ambassador_services

    ambassador_services.coordinator_set_scope(user=user, countries=[peru, argentina])
    return user


def test_the_scope_board_totals_each_stage_in_usd_across_cities_and_currencies(
    client_for, two_city_coordinator, lima, rosario
):
    response = client_for(two_city_coordinator).get(reverse("funding:index"))
    assert response.status_code == 200
    stages = {stage["stage"]: stage for stage in response.context["pipeline"].stages}
    assert stages["identified"]["count"] == 2
    assert stages["identified"]["usd"] == Decimal("27000.00")  # the BOB amount has no rate: left out
    assert stages["identified"]["without_rate"] == 1
    assert stages["submitted"]["usd"] == Decimal("2000.00")
    assert stages["awarded"]["usd"] == Decimal("40000.00")
    pipeline = response.context["pipeline"]
    assert pipeline.sought.usd == Decimal("29000.00")
    assert pipeline.awarded.usd == Decimal("40000.00")
    assert pipeline.conversion == Decimal(100)
    rows = {row["name"]: row for row in response.context["page"].object_list}
    assert set(rows) == {"Lima", "Rosario"}
    assert [cell["usd"] for cell in rows["Lima"]["stages"]][:4] == [Decimal("27000.00"), 0, 0, Decimal("40000.00")]
    assert rows["Rosario"]["stages"][0] == {
        "stage": "identified",
        "label": "Identificada",
        "count": 1,
        "without_rate": 1,
        "usd": Decimal("0.00"),
    }
    page = response.content.decode()
    assert "29\xa0000,00 USD" in page and "2\xa0000\xa0000,00 ARS" in page
    assert "1 sin tipo de cambio, no sumada" in page


def test_the_scope_board_filters_by_country_and_city(client_for, two_city_coordinator, argentina, lima):
    client = client_for(two_city_coordinator)
    by_country = client.get(reverse("funding:index"), {"country": argentina.pk})
    assert [row["name"] for row in by_country.context["page"].object_list] == ["Rosario"]
    by_city = client.get(reverse("funding:index"), {"city": lima.pk})
    assert [row["name"] for row in by_city.context["page"].object_list] == ["Lima"]
    assert by_city.context["pipeline"].sought.usd == Decimal("27000.00")


def test_a_coordinator_sees_only_their_scope_and_a_foreign_city_filter_is_ignored(
    client_for, coordinator, opportunity, other_ambassador, rosario
):
    OpportunityFactory(by=other_ambassador, title="De Rosario")
    response = client_for(coordinator).get(reverse("funding:index"), {"city": rosario.pk})
    assert [row["name"] for row in response.context["page"].object_list] == ["Lima"]
    assert "De Rosario" not in response.content.decode()


def test_the_scope_board_lists_plans_waiting_for_the_coordinators_review(client_for, coordinator, ambassador):
    TransitionPlanFactory(by=ambassador, status="submitted")
    page = client_for(coordinator).get(reverse("funding:index")).content.decode()
    assert "Plan de Lima, versión 1" in page


def test_the_scope_board_reads_the_same_queries_for_two_cities_or_six(
    client_for, two_city_coordinator, peru, django_assert_max_num_queries
):
    client = client_for(two_city_coordinator)
    client.get(reverse("funding:index"))  # sessions and caches warm
    with django_assert_max_num_queries(13) as few:
        client.get(reverse("funding:index"))
    for _ in range(4):
        by = AmbassadorFactory(city=CityFactory(country=peru)).user
        OpportunityFactory(by=by, stage="awarded", amount_awarded=Decimal("5"))
        DisbursementFactory(opportunity=OpportunityFactory(by=by, stage="awarded"), amount=Decimal("1"))
        TransitionPlanFactory(by=by, status="submitted")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("funding:index"))
    assert len(response.context["page"].object_list) == 6


# An opportunity's page -------------------------------------------------------------------


@pytest.mark.parametrize("role", ["ambassador", "coordinator", "admin"])
def test_the_opportunity_page_shows_its_money_history_and_documents(role, request, client_for, awarded):
    DocumentFactory(opportunity=awarded, title="Bases de la convocatoria")
    response = client_for(request.getfixturevalue(role)).get(reverse("funding:opportunity", args=[awarded.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Préstamo de eficiencia" in page
    assert response.context["money"]["left"] == Decimal("30000.00")
    assert "30\xa0000,00 USD" in page  # left to receive
    assert "Presentada → Otorgada" in page  # the history
    assert 'href="https://example.org/convocatoria.pdf" rel="noopener noreferrer"' in page
    writes = ("move_form" in response.context, "disbursement_form" in response.context)
    assert writes == ((False, True) if role == "ambassador" else (False, False))
    assert ("Editar los datos" in page) == (role == "ambassador")


def test_every_pipeline_url_is_a_404_outside_the_citys_scope(
    client_for, other_ambassador, coordinator_elsewhere, awarded
):
    disbursement = awarded.disbursements.get()
    document = DocumentFactory(opportunity=awarded)
    pages = [
        reverse("funding:board", args=[awarded.city_id]),
        reverse("funding:opportunity", args=[awarded.pk]),
        reverse("funding:opportunity_edit", args=[awarded.pk]),
        reverse("funding:document", args=[document.pk]),
    ]
    writes = [
        reverse("funding:opportunity_edit", args=[awarded.pk]),
        reverse("funding:opportunity_move", args=[awarded.pk]),
        reverse("funding:disbursement_add", args=[awarded.pk]),
        reverse("funding:disbursement_remove", args=[disbursement.pk]),
        reverse("funding:opportunity_document_add", args=[awarded.pk]),
        reverse("funding:document_remove", args=[document.pk]),
    ]
    for user in (other_ambassador, coordinator_elsewhere):
        client = client_for(user)
        for url in pages:
            assert client.get(url).status_code == 404, url
        for url in writes:
            assert client.post(url, {"amount": "1", "received_on": "2026-01-01"}).status_code == 404, url
    assert Disbursement.objects.filter(pk=disbursement.pk).exists()
    assert Document.objects.filter(pk=document.pk).exists()


def test_a_coordinator_reads_but_may_not_write(client_for, coordinator, opportunity):
    client = client_for(coordinator)
    assert client.get(reverse("funding:opportunity_edit", args=[opportunity.pk])).status_code == 403
    assert move(client, opportunity, to_stage="preparing").status_code == 403
    assert client.get(reverse("funding:opportunity_create")).status_code == 403
    opportunity.refresh_from_db()
    assert opportunity.stage == "identified"


def test_the_opportunity_page_reads_a_bounded_number_of_queries(
    client_for, ambassador, awarded, django_assert_max_num_queries
):
    for number in range(3):
        DocumentFactory(opportunity=awarded, url=f"https://example.org/{number}")
        DisbursementFactory(opportunity=awarded, amount=Decimal("1.00"))
    client = client_for(ambassador)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("funding:opportunity", args=[awarded.pk])).status_code == 200


# Registering and editing -----------------------------------------------------------------


def test_registering_an_opportunity_from_an_action(client_for, ambassador, lima):
    action = ActionFactory(by=ambassador, title="Ciclovía del centro")
    plan = TransitionPlanFactory(by=ambassador)
    milestone = plan.milestones.get(title="Hito 2")
    funder = FunderFactory(name="Banco de Desarrollo de América Latina")
    client = client_for(ambassador)
    url = reverse("funding:opportunity_create")
    form = client.get(url, {"accion": action.pk, "hito": milestone.pk}).context["form"]
    assert form.initial == {"actions": [action.pk], "milestones": [milestone.pk]}
    response = client.post(
        url,
        {
            "funder": funder.pk,
            "title": "Movilidad sostenible 2027",
            "amount": "1500000.50",
            "currency": "PEN",
            "deadline": "2027-03-31",
            "identified_on": timezone.localdate().isoformat(),
            "notes": "Pide cofinanciamiento del 20 %.",
            "actions": [action.pk],
            "milestones": [milestone.pk],
        },
        follow=True,
    )
    opportunity = Opportunity.objects.get(title="Movilidad sostenible 2027")
    assert response.redirect_chain == [(reverse("funding:opportunity", args=[opportunity.pk]), 302)]
    assert opportunity.city == lima and opportunity.stage == "identified"
    assert opportunity.amount == Decimal("1500000.50") and opportunity.currency == "PEN"
    assert list(opportunity.actions.all()) == [action]
    assert list(opportunity.milestones.all()) == [milestone]
    assert page_messages(response) == [
        "Oportunidad registrada: «Movilidad sostenible 2027». Está en la etapa «Identificada»."
    ]


def test_an_action_of_another_city_is_not_preselected(client_for, ambassador, other_ambassador):
    foreign = ActionFactory(by=other_ambassador)
    form = client_for(ambassador).get(reverse("funding:opportunity_create"), {"accion": foreign.pk}).context["form"]
    assert form.initial == {}


def test_a_form_refused_keeps_what_was_typed_and_says_why_at_the_fields(client_for, ambassador):
    response = client_for(ambassador).post(
        reverse("funding:opportunity_create"),
        {"title": "Convocatoria sin financiador", "amount": "0", "currency": "USD", "identified_on": "2026-01-05"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["amount"] == ["El monto debe ser mayor que cero."]
    assert form.errors["funder"] == ["Elija un financiador de la lista o escriba su nombre."]
    page = response.content.decode()
    assert 'value="Convocatoria sin financiador"' in page
    assert "Revise los campos marcados: no se perdió nada de lo que escribió." in page
    assert not Opportunity.objects.exists()


def test_without_a_plan_the_form_says_so_and_offers_no_milestones(client_for, ambassador):
    response = client_for(ambassador).get(reverse("funding:opportunity_create"))
    assert "milestones" not in response.context["form"].fields
    assert "Su ciudad todavía no tiene un plan de transición" in response.content.decode()


def test_editing_keeps_the_links_to_milestones_of_earlier_plan_versions(client_for, ambassador):
    from funding import services

    first = TransitionPlanFactory(by=ambassador, status="submitted")
    # Approved as plan_approve leaves it (without its email, which belongs to the plan pages).
    TransitionPlan.objects.filter(pk=first.pk).update(status="approved", approved_at=timezone.now())
    old_milestone = first.milestones.get(title="Hito 1")
    opportunity = OpportunityFactory(by=ambassador, milestones=[old_milestone])
    draft = services.plan_revise(plan=first, by=ambassador, reason="Nuevo gobierno municipal")
    copy = draft.milestones.get(origin=old_milestone)
    client = client_for(ambassador)
    url = reverse("funding:opportunity_edit", args=[opportunity.pk])
    form = client.get(url).context["form"]
    assert list(form.fields["milestones"].queryset) == list(draft.milestones.order_by("due_on", "pk"))
    assert set(form.initial["milestones"]) == {old_milestone, copy}  # plan_revise linked the copy too
    response = client.post(
        url,
        {
            "funder": opportunity.funder_id,
            "title": opportunity.title,
            "amount": "250000.00",
            "currency": "USD",
            "identified_on": opportunity.identified_on.isoformat(),
            "milestones": [],  # the copy unchecked: the earlier version's link stays
        },
    )
    assert response.status_code == 302
    assert list(opportunity.milestones.all()) == [old_milestone]


def test_editing_an_opportunity(client_for, ambassador, opportunity):
    client = client_for(ambassador)
    url = reverse("funding:opportunity_edit", args=[opportunity.pk])
    assert client.get(url).context["form"].initial["title"] == "Fondo verde para buses"
    response = client.post(
        url,
        {
            "funder_name": "Municipalidad aliada",
            "title": "Fondo verde para buses eléctricos",
            "amount": "120000.00",
            "currency": "PEN",
            "identified_on": opportunity.identified_on.isoformat(),
        },
        follow=True,
    )
    opportunity.refresh_from_db()
    assert opportunity.title == "Fondo verde para buses eléctricos"
    assert opportunity.funder is None and opportunity.funder_name == "Municipalidad aliada"
    assert opportunity.amount == Decimal("120000.00")
    assert page_messages(response) == ["Cambios guardados."]


def test_a_decided_opportunity_keeps_its_amount_and_currency(client_for, ambassador, awarded):
    response = client_for(ambassador).post(
        reverse("funding:opportunity_edit", args=[awarded.pk]),
        {
            "funder": awarded.funder_id,
            "title": "Préstamo de eficiencia energética",
            "amount": "1.00",
            "currency": "EUR",
            "identified_on": awarded.identified_on.isoformat(),
        },
    )
    assert response.status_code == 302
    awarded.refresh_from_db()
    assert (awarded.title, awarded.amount, awarded.currency) == (
        "Préstamo de eficiencia energética",
        Decimal("250000.00"),
        "USD",
    )


# Moving through the stages ---------------------------------------------------------------


def test_the_ambassador_moves_an_opportunity_to_awarded(client_for, ambassador, opportunity):
    client = client_for(ambassador)
    page = client.get(reverse("funding:opportunity", args=[opportunity.pk]))
    assert [value for value, _label in page.context["move_form"].fields["to_stage"].choices] == [
        "preparing",
        "submitted",
        "withdrawn",
    ]
    assert move(client, opportunity, to_stage="preparing").status_code == 302
    assert move(client, opportunity, to_stage="submitted", comment="Enviada por la plataforma").status_code == 302
    response = move(client, opportunity, to_stage="awarded", amount_awarded="90000.00", decided_on="2026-01-10")
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert page_messages(response)[-1] == "La oportunidad pasó a la etapa «Otorgada»."
    opportunity.refresh_from_db()
    assert opportunity.stage == "awarded"
    assert opportunity.amount_awarded == Decimal("90000.00")
    assert opportunity.decided_on == datetime.date(2026, 1, 10)
    changes = list(OpportunityStageChange.objects.filter(opportunity=opportunity).values_list("from_stage", "to_stage"))
    assert changes == [
        ("", "identified"),
        ("identified", "preparing"),
        ("preparing", "submitted"),
        ("submitted", "awarded"),
    ]
    page = response.content.decode()
    assert "Enviada por la plataforma" in page
    assert "90\xa0000,00 PEN" in page and "24\xa0300,00 USD" in page  # 90 000 PEN at 0.27


def test_awarded_needs_its_amount_and_a_move_not_allowed_is_refused_at_the_field(client_for, ambassador, opportunity):
    client = client_for(ambassador)
    response = move(client, opportunity, to_stage="awarded")
    assert field_errors(response, "move_form", "to_stage") == [
        "Esta oportunidad ya no puede pasar a esa etapa. Recargue la página."
    ]
    move(client, opportunity, to_stage="submitted")
    response = move(client, opportunity, to_stage="awarded", amount_awarded="", comment="Aprobada en comité")
    assert field_errors(response, "move_form", "amount_awarded") == ["Indique el monto otorgado."]
    assert "Aprobada en comité</textarea>" in response.content.decode()
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = move(client, opportunity, to_stage="rejected", decided_on=future)
    assert field_errors(response, "move_form", "decided_on") == ["La fecha de la decisión no puede ser futura."]
    opportunity.refresh_from_db()
    assert opportunity.stage == "submitted"


# Disbursements ---------------------------------------------------------------------------


def test_a_disbursement_beyond_what_is_left_is_refused_at_the_amount_keeping_the_typed_values(
    client_for, ambassador, awarded
):
    response = client_for(ambassador).post(
        reverse("funding:disbursement_add", args=[awarded.pk]),
        {"amount": "30000.01", "received_on": "2026-01-15", "note": "Segundo tramo"},
    )
    assert response.status_code == 200
    assert field_errors(response, "disbursement_form", "amount") == [
        "Supera lo que queda por recibir: 30\xa0000,00 USD."
    ]
    page = response.content.decode()
    assert 'value="30000.01"' in page and 'value="Segundo tramo"' in page and 'value="2026-01-15"' in page
    assert "is-invalid" in page[page.index('name="amount"') - 200 : page.index('name="amount"') + 200]
    assert awarded.disbursements.count() == 1


def test_recording_and_removing_a_disbursement(client_for, ambassador, awarded):
    client = client_for(ambassador)
    response = client.post(
        reverse("funding:disbursement_add", args=[awarded.pk]),
        {"amount": "30000.00", "received_on": timezone.localdate().isoformat(), "note": "Último tramo"},
        follow=True,
    )
    assert page_messages(response) == ["Desembolso registrado."]
    assert response.context["money"]["left"] == Decimal("0.00")
    assert "disbursement_form" not in response.context  # nothing left to receive
    assert "Ya se recibió todo lo otorgado." in response.content.decode()
    last = awarded.disbursements.get(note="Último tramo")
    response = client.post(reverse("funding:disbursement_remove", args=[last.pk]), follow=True)
    assert page_messages(response) == ["Desembolso quitado."]
    assert awarded.disbursements.count() == 1


def test_a_disbursement_on_an_opportunity_not_awarded_is_refused(client_for, ambassador, opportunity):
    response = client_for(ambassador).post(
        reverse("funding:disbursement_add", args=[opportunity.pk]),
        {"amount": "10.00", "received_on": "2026-01-15"},
    )
    assert response.context["disbursement_form"].non_field_errors() == [
        "Solo una oportunidad otorgada recibe desembolsos."
    ]
    assert not Disbursement.objects.exists()


# Documents -------------------------------------------------------------------------------


def add_document(client, opportunity, **data):
    return client.post(reverse("funding:opportunity_document_add", args=[opportunity.pk]), data, follow=True)


def test_a_pdf_is_stored_and_downloaded_by_the_citys_scope(client_for, ambassador, coordinator, opportunity):
    response = add_document(
        client_for(ambassador), opportunity, file=upload("bases convocatoria.pdf", pdf_bytes()), title="Bases"
    )
    assert page_messages(response) == ["Documento añadido."]
    document = opportunity.documents.get()
    assert document.content_type == "application/pdf" and document.original_name == "bases convocatoria.pdf"
    assert "bases" not in document.file.name and document.file.name.startswith("funding/")
    download = client_for(coordinator).get(reverse("funding:document", args=[document.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_link_is_kept_and_shown_but_has_no_download(client_for, ambassador, opportunity):
    client = client_for(ambassador)
    response = add_document(client, opportunity, url="https://fondo.example.org/bases", title="Sitio del fondo")
    assert page_messages(response) == ["Documento añadido."]
    document = opportunity.documents.get()
    assert document.url == "https://fondo.example.org/bases"
    assert 'href="https://fondo.example.org/bases" rel="noopener noreferrer"' in response.content.decode()
    assert client.get(reverse("funding:document", args=[document.pk])).status_code == 404


def test_a_file_not_allowed_is_refused_with_the_reason_at_the_file(client_for, ambassador, opportunity):
    response = add_document(
        client_for(ambassador), opportunity, file=upload("acta.pdf", png_bytes()), title="Acta firmada"
    )
    assert response.status_code == 200
    assert field_errors(response, "document_form", "file") == [
        "«acta.pdf» dice ser .pdf pero su contenido es .png. Revise que sea el archivo correcto."
    ]
    assert 'value="Acta firmada"' in response.content.decode()
    assert not opportunity.documents.exists()


def test_a_document_needs_a_file_or_a_link(client_for, ambassador, opportunity):
    response = add_document(client_for(ambassador), opportunity, title="Nada")
    assert response.context["document_form"].non_field_errors() == [
        "Suba un archivo o pegue un enlace (uno de los dos)."
    ]


def test_removing_a_document(client_for, ambassador, coordinator, opportunity):
    document = DocumentFactory(opportunity=opportunity)
    assert client_for(coordinator).post(reverse("funding:document_remove", args=[document.pk])).status_code == 403
    response = client_for(ambassador).post(reverse("funding:document_remove", args=[document.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("funding:opportunity", args=[opportunity.pk]) + "#documents"
    assert page_messages(response) == ["Documento quitado: «Bases de la convocatoria»."]
    assert not opportunity.documents.exists()


def test_a_plan_document_is_downloaded_by_the_plans_scope_only(client_for, ambassador, coordinator, other_ambassador):
    from funding import services

    plan = TransitionPlanFactory(by=ambassador)
    document = services.document_add(by=ambassador, plan=plan, uploaded_file=upload("diagnóstico.pdf", pdf_bytes()))
    url = reverse("funding:document", args=[document.pk])
    assert client_for(coordinator).get(url).status_code == 200
    assert client_for(other_ambassador).get(url).status_code == 404
