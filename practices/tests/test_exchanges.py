"""Exchanges between cities (commitment 1.1): who reads, records and edits them, what the form
refuses and where it says so, and the list and page at a fixed number of queries."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ambassadors import services as ambassador_services
from ambassadors.models import Ambassador
from ambassadors.tests.factories import AmbassadorFactory, CityFactory, CountryFactory, UserFactory
from conftest import session_queries
from practices import services
from practices.models import Exchange, PartnerCity, Practice
from practices.tests.factories import ExchangeFactory, ExchangeParticipationFactory, PracticeFactory

LIST, CREATE = reverse("exchanges:list"), reverse("exchanges:create")


def _post(**fields):
    """A valid exchange form's fields; partners=[(name, country), ...] fill the partner rows."""
    partners = fields.pop("partners", [])
    data = {
        "kind": "visit",
        "title": "Visita técnica a la escuela de gobernanza",
        "started_on": "2026-09-01",
        "ended_on": "",
        "description": "Tres días de trabajo con el equipo de atención.",
        "partners-TOTAL_FORMS": str(max(len(partners), 1)),
        "partners-INITIAL_FORMS": "0",
        "partners-0-name": "",
        "partners-0-country": "",
    }
    for index, (name, country) in enumerate(partners):
        data |= {f"partners-{index}-name": name, f"partners-{index}-country": country}
    return data | fields


@pytest.fixture
def exchange(ambassador, rosario):
    """Alicia (Lima) recorded a webinar with Rosario."""
    return ExchangeFactory(by=ambassador, cities=[rosario], title="Webinar con Rosario")


# Who may read, record and edit --------------------------------------------------------------


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_log_in(client, exchange):
    for url in (LIST, CREATE, reverse("exchanges:exchange", args=[exchange.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url
    response = client.post(reverse("exchanges:edit", args=[exchange.pk]), _post(title="Otro"))
    assert response.status_code == 302 and "login" in response.url
    assert Exchange.objects.get().title == "Webinar con Rosario"


@pytest.mark.django_db
def test_a_user_with_no_role_is_refused_every_exchange_page(client_for, exchange):
    client = client_for(UserFactory())
    for url in (LIST, CREATE, reverse("exchanges:exchange", args=[exchange.pk])):
        assert client.get(url).status_code == 403
    assert client.post(CREATE, _post(partners=[("Barcelona", "ES"), ("Porto", "PT")])).status_code == 403
    assert client.post(reverse("exchanges:edit", args=[exchange.pk]), _post(title="Otro")).status_code == 403
    assert list(Exchange.objects.values_list("title", flat=True)) == ["Webinar con Rosario"]


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["ambassador", "other_ambassador", "coordinator", "coordinator_elsewhere", "admin"])
def test_every_member_of_the_network_reads_every_exchange_and_may_record_one(request, client_for, exchange, reader):
    client = client_for(request.getfixturevalue(reader))
    page = client.get(LIST)
    assert page.status_code == 200
    assert [row.title for row in page.context["page"].object_list] == ["Webinar con Rosario"]
    assert "Registrar un intercambio" in page.content.decode()
    assert client.get(reverse("exchanges:exchange", args=[exchange.pk])).status_code == 200
    assert client.get(CREATE).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("editor", ["ambassador", "admin"])
def test_who_recorded_an_exchange_and_admins_edit_it(request, client_for, exchange, editor):
    client = client_for(request.getfixturevalue(editor))
    page = client.get(reverse("exchanges:exchange", args=[exchange.pk])).content.decode()
    assert reverse("exchanges:edit", args=[exchange.pk]) in page
    assert client.get(reverse("exchanges:edit", args=[exchange.pk])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["other_ambassador", "coordinator"])
def test_another_member_reads_the_exchange_but_may_not_edit_it(request, client_for, exchange, reader):
    client = client_for(request.getfixturevalue(reader))
    edit = reverse("exchanges:edit", args=[exchange.pk])
    assert edit not in client.get(reverse("exchanges:exchange", args=[exchange.pk])).content.decode()
    assert client.get(edit).status_code == 403
    assert client.post(edit, _post(title="Cambiado", partners=[("Porto", "PT")])).status_code == 403
    assert Exchange.objects.get().title == "Webinar con Rosario"


@pytest.mark.django_db
def test_a_paused_ambassador_reads_exchanges_but_records_none(client_for, ambassador, exchange):
    ambassador_services.ambassador_set_paused(ambassador=Ambassador.objects.get(user=ambassador), paused=True)
    client = client_for(ambassador)
    page = client.get(LIST)
    assert page.status_code == 200 and "Registrar un intercambio" not in page.content.decode()
    assert client.get(CREATE).status_code == 403


@pytest.mark.django_db
def test_an_exchange_that_does_not_exist_is_not_found(client_for, ambassador):
    client = client_for(ambassador)
    assert client.get(reverse("exchanges:exchange", args=[999])).status_code == 404
    assert client.get(reverse("exchanges:edit", args=[999])).status_code == 404


# Recording ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_ambassadors_own_city_is_added_and_not_offered(client_for, ambassador, lima, rosario, other_ambassador):
    client = client_for(ambassador)
    form = client.get(CREATE).context["form"]
    assert rosario in form.fields["cities"].queryset and lima not in form.fields["cities"].queryset
    assert "Lima" in str(form.fields["cities"].help_text)
    response = client.post(CREATE, _post(cities=[rosario.pk]))
    exchange = Exchange.objects.get()
    assert response.url == reverse("exchanges:exchange", args=[exchange.pk])
    assert set(exchange.cities.all()) == {lima, rosario}
    assert exchange.created_by == ambassador
    assert exchange.history.count() == 1


@pytest.mark.django_db
def test_a_coordinator_records_an_exchange_between_the_network_cities_they_choose(
    client_for, coordinator, ambassador, other_ambassador, lima, rosario
):
    outside = CityFactory(name="Sin embajador")
    client = client_for(coordinator)
    assert set(client.get(CREATE).context["form"].fields["cities"].queryset) == {lima, rosario}
    client.post(CREATE, _post(cities=[lima.pk, rosario.pk]))
    assert set(Exchange.objects.get().cities.all()) == {lima, rosario}
    assert client.post(CREATE, _post(cities=[lima.pk, outside.pk])).context["form"].errors["cities"]


@pytest.mark.django_db
def test_partner_cities_are_saved_and_shown_with_their_countries_name(client_for, ambassador, lima):
    client = client_for(ambassador)
    client.post(CREATE, _post(partners=[("Barcelona", "ES"), ("Oporto", "PT")]))
    exchange = Exchange.objects.get()
    assert set(exchange.cities.all()) == {lima}
    assert sorted(exchange.partner_cities.values_list("name", "country")) == [("Barcelona", "ES"), ("Oporto", "PT")]
    assert all(partner.history.count() == 1 for partner in exchange.partner_cities.all())
    for url in (LIST, reverse("exchanges:exchange", args=[exchange.pk])):
        page = client.get(url).content.decode()
        assert "Barcelona (España)" in page and "Oporto (Portugal)" in page and "Lima (Perú)" in page


@pytest.mark.django_db
@pytest.mark.parametrize("recorder", ["ambassador", "coordinator"])
def test_fewer_than_two_cities_are_refused_at_the_cities_field(request, client_for, recorder, ambassador, lima):
    client = client_for(request.getfixturevalue(recorder))
    response = client.post(CREATE, _post(cities=[lima.pk] if recorder == "coordinator" else []))
    assert response.status_code == 200
    assert response.context["form"].errors["cities"] == ["Un intercambio une al menos dos ciudades."]
    assert "Visita técnica a la escuela de gobernanza" in response.content.decode()  # nothing typed is lost
    assert not Exchange.objects.exists()


@pytest.mark.django_db
def test_an_end_before_the_start_is_refused_at_the_end_date(client_for, ambassador, other_ambassador, rosario):
    response = client_for(ambassador).post(CREATE, _post(cities=[rosario.pk], ended_on="2026-08-31"))
    assert response.status_code == 200
    assert response.context["form"].errors == {"ended_on": ["La fecha de fin no puede ser anterior a la de inicio."]}
    assert not Exchange.objects.exists()


@pytest.mark.django_db
def test_a_partner_row_half_filled_is_refused_at_its_field_and_kept(client_for, ambassador, other_ambassador, rosario):
    response = client_for(ambassador).post(CREATE, _post(cities=[rosario.pk], partners=[("Barcelona", "")]))
    assert response.status_code == 200
    assert response.context["partners"].forms[0].errors == {"country": ["Este campo es obligatorio."]}
    assert 'value="Barcelona"' in response.content.decode()
    assert not Exchange.objects.exists()


@pytest.mark.django_db
def test_only_published_practices_are_offered_and_linked(client_for, ambassador, other_ambassador, rosario):
    published = PracticeFactory(status=Practice.Status.PUBLISHED, title="Presupuesto participativo")
    draft = PracticeFactory(title="Borrador de otra ciudad")
    client = client_for(ambassador)
    page = client.get(CREATE)
    assert list(page.context["form"].fields["practices"].queryset) == [published]
    assert "Borrador de otra ciudad" not in page.content.decode()

    forged = client.post(CREATE, _post(cities=[rosario.pk], practices=[published.pk, draft.pk]))
    assert forged.status_code == 200
    assert "practices" in forged.context["form"].errors
    assert not Exchange.objects.exists()

    client.post(CREATE, _post(cities=[rosario.pk], practices=[published.pk]))
    exchange = Exchange.objects.get()
    assert list(exchange.practices.all()) == [published]
    detail = client.get(reverse("exchanges:exchange", args=[exchange.pk])).content.decode()
    assert f'href="{reverse("practices:practice", args=[published.pk])}"' in detail


@pytest.mark.django_db
def test_editing_keeps_the_history_and_the_partners_left_as_they_were(
    client_for, ambassador, other_ambassador, lima, rosario
):
    exchange = ExchangeFactory(
        by=ambassador,
        cities=[rosario],
        title="Webinar con Rosario",
        partner_cities=[{"name": "Barcelona", "country": "ES"}, {"name": "Oporto", "country": "PT"}],
    )
    barcelona = exchange.partner_cities.get(name="Barcelona")
    client = client_for(ambassador)
    form = client.get(reverse("exchanges:edit", args=[exchange.pk]))
    assert [row.initial for row in form.context["partners"].initial_forms] == [
        {"name": "Barcelona", "country": "ES"},
        {"name": "Oporto", "country": "PT"},
    ]
    data = _post(title="Webinar con Rosario y Barcelona", kind="webinar", cities=[rosario.pk])
    data |= {
        "partners-TOTAL_FORMS": "3",
        "partners-INITIAL_FORMS": "2",
        "partners-0-name": "Barcelona",
        "partners-0-country": "ES",
        "partners-1-name": "Oporto",
        "partners-1-country": "PT",
        "partners-1-DELETE": "on",
        "partners-2-name": "Montreal",
        "partners-2-country": "CA",
    }
    response = client.post(reverse("exchanges:edit", args=[exchange.pk]), data)
    assert response.url == reverse("exchanges:exchange", args=[exchange.pk])
    exchange.refresh_from_db()
    assert exchange.title == "Webinar con Rosario y Barcelona"
    assert set(exchange.cities.all()) == {lima, rosario}
    assert sorted(exchange.partner_cities.values_list("name", flat=True)) == ["Barcelona", "Montreal"]
    assert exchange.partner_cities.get(name="Barcelona").pk == barcelona.pk  # untouched, not rewritten
    titles = list(exchange.history.order_by("history_date", "history_id").values_list("title", "history_user"))
    assert titles == [("Webinar con Rosario", ambassador.pk), ("Webinar con Rosario y Barcelona", ambassador.pk)]
    assert {city.city_id for city in exchange.history.earliest("history_date").cities.all()} == {lima.pk, rosario.pk}
    removed = PartnerCity.history.filter(name="Oporto").order_by("history_date")
    assert [row.history_type for row in removed] == ["+", "-"]


@pytest.mark.django_db
def test_the_service_refuses_a_partner_city_a_form_would_refuse_and_saves_nothing(ambassador, rosario):
    data = {"kind": "visit", "title": "Visita", "started_on": datetime.date(2026, 9, 1)}
    for partner in ({"name": "Barce\nlona", "country": "ES"}, {"name": "Atlántida", "country": "QQ"}):
        with pytest.raises(ValidationError) as refused:
            services.exchange_save(by=ambassador, data=data, cities=[rosario], partner_cities=[partner])
        assert "partner_cities" in refused.value.message_dict
    assert not Exchange.objects.exists() and not PartnerCity.objects.exists()


# The list ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_filters_by_kind_country_and_the_ambassadors_city(client_for, ambassador, lima, rosario):
    mexico_city = CityFactory(country=CountryFactory(code="MX"), name="Puebla")
    other = AmbassadorFactory(city=mexico_city).user
    ExchangeFactory(by=ambassador, cities=[rosario], kind="webinar", title="Lima y Rosario")
    ExchangeFactory(
        by=other, cities=[], kind="visit", title="Puebla y Madrid", partner_cities=[{"name": "Madrid", "country": "ES"}]
    )
    client = client_for(ambassador)

    def titles(**query):
        return {row.title for row in client.get(LIST, query).context["page"].object_list}

    assert titles() == {"Lima y Rosario", "Puebla y Madrid"}
    assert titles(kind="visit") == {"Puebla y Madrid"}
    assert titles(country="AR") == {"Lima y Rosario"}
    assert titles(country="ES") == {"Puebla y Madrid"}  # a partner city's country
    assert titles(mine="on") == {"Lima y Rosario"}
    choices = [code for code, _name in client.get(LIST).context["filter"].form.fields["country"].choices if code]
    assert sorted(choices) == ["AR", "ES", "MX", "PE"]


@pytest.mark.django_db
def test_the_my_city_filter_is_only_for_ambassadors(client_for, coordinator, exchange):
    assert "mine" not in client_for(coordinator).get(LIST).context["filter"].form.fields


@pytest.mark.django_db
def test_the_list_is_newest_first_and_counts_the_practices_linked(client_for, ambassador, rosario):
    practice = PracticeFactory(status=Practice.Status.PUBLISHED)
    for day in (3, 1, 2):
        ExchangeFactory(
            by=ambassador,
            cities=[rosario],
            title=f"Día {day}",
            started_on=datetime.date(2026, 5, day),
            practices=[practice],
        )
    page = client_for(ambassador).get(LIST)
    assert [row.title for row in page.context["page"].object_list] == ["Día 3", "Día 2", "Día 1"]
    assert [row.practice_count for row in page.context["page"].object_list] == [1, 1, 1]
    assert "1 práctica enlazada" in page.content.decode()


def _exchanges(by, count, *, rosario, practices):
    for n in range(count):
        ExchangeFactory(
            by=by,
            cities=[rosario, CityFactory()],
            title=f"Intercambio {n}",
            partner_cities=[{"name": f"Aliada {n}", "country": "ES"}, {"name": f"Otra {n}", "country": "PT"}],
            practices=practices,
        )


LIST_QUERIES = 10 + session_queries()
DETAIL_QUERIES = (
    9 + session_queries()
)  # with the recorder's appointment, read to offer "Editar"; and the actions logged for it


@pytest.mark.django_db
def test_the_list_runs_the_same_queries_for_2_or_25_exchanges(
    client_for, ambassador, rosario, django_assert_max_num_queries
):
    practices = [PracticeFactory(status=Practice.Status.PUBLISHED) for _ in range(2)]
    client = client_for(ambassador)
    _exchanges(ambassador, 2, rosario=rosario, practices=practices)
    with django_assert_max_num_queries(LIST_QUERIES) as few:
        client.get(LIST)
    _exchanges(ambassador, 23, rosario=rosario, practices=practices)
    with django_assert_max_num_queries(LIST_QUERIES) as many:
        response = client.get(LIST)
    assert len(few.captured_queries) == len(many.captured_queries)
    assert len(response.context["page"].object_list) == 20 and response.context["page"].paginator.num_pages == 2


@pytest.mark.django_db
def test_the_exchange_page_runs_the_same_queries_for_a_bare_or_a_rich_exchange(
    client_for, ambassador, rosario, django_assert_max_num_queries
):
    bare = ExchangeFactory(by=ambassador, cities=[rosario])
    rich = ExchangeFactory(
        by=ambassador,
        cities=[rosario, *(CityFactory() for _ in range(9))],
        partner_cities=[{"name": f"Aliada {n}", "country": "ES"} for n in range(10)],
        practices=[PracticeFactory(status=Practice.Status.PUBLISHED) for _ in range(10)],
    )
    for _ in range(3):
        ExchangeParticipationFactory(exchange=rich)
    client = client_for(ambassador)
    with django_assert_max_num_queries(DETAIL_QUERIES) as few:
        client.get(reverse("exchanges:exchange", args=[bare.pk]))
    with django_assert_max_num_queries(DETAIL_QUERIES) as many:
        response = client.get(reverse("exchanges:exchange", args=[rich.pk]))
    assert len(few.captured_queries) == len(many.captured_queries)
    assert len(re.findall(r'href="/practicas/\d+/"', response.content.decode())) == 10
