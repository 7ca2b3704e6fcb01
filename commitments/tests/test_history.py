"""The action's history is complete and true, and its page tells it as a timeline: every change
of its fields, focus areas, cities, indicator values, links and files, with who, when, before
and after. (Money is the funding pipeline's: an opportunity has its own history.)"""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from commitments import services
from commitments.models import Action, Evidence, IndicatorValue
from commitments.sample_files import pdf_bytes, upload
from commitments.tests.factories import ActionFactory
from commitments.timeline import action_timeline

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 12, 14, tzinfo=datetime.UTC)


def areas_and_cities_of_each_entry(action):
    """(focus area ids, city ids) held by each entry of the action's history, oldest first."""
    entries = Action.history.filter(id=action.pk).order_by("history_date", "history_id")
    return [
        (
            {row.focusarea_id for row in entry.focus_areas.all()},
            {row.city_id for row in entry.cities_involved.all()},
        )
        for entry in entries
    ]


def test_every_entry_holds_both_focus_areas_and_the_city_through_submit_return_and_approve(
    ambassador, coordinator, commitment, rosario
):
    areas = list(commitment.focus_areas.all()[:2])
    action = services.action_create(
        by=ambassador,
        commitment=commitment,
        data={"title": "Huertos de lluvia", "started_on": datetime.date(2026, 10, 5), "description": "Con vecinos."},
        focus_areas=areas,
        cities_involved=[rosario],
    )
    services.action_submit(action=action, by=ambassador)
    services.action_withdraw(action=action, by=ambassador)
    services.action_submit(action=action, by=ambassador)
    services.action_return(action=action, by=coordinator, comment="Añada la lista de asistentes.")
    services.action_update(action=action, by=ambassador, data={"partners": "Colectivo vecinal"})
    services.action_submit(action=action, by=ambassador)
    services.action_approve(action=action, by=coordinator)

    entries = areas_and_cities_of_each_entry(action)
    assert len(entries) == 8  # created, 5 status changes before the edit, the edit, approved
    assert entries == [({area.pk for area in areas}, {rosario.pk})] * 8


def test_the_entries_that_lied_are_repaired_by_the_migration(ambassador, coordinator, commitment, lima):
    """Entries written before: each status change's without the focus areas. 0014 gives each the
    focus areas of the entry before it, and the action's cities of today to every entry."""
    areas = list(commitment.focus_areas.all()[:2])
    action = services.action_create(
        by=ambassador,
        commitment=commitment,
        data={"title": "Huertos", "started_on": datetime.date(2026, 10, 5), "description": "Con vecinos."},
        focus_areas=areas,
    )
    services.action_submit(action=action, by=ambassador)
    services.action_approve(action=action, by=coordinator)
    entries = Action.history.filter(id=action.pk).order_by("history_date", "history_id")
    area_entries = Action.history.model.focus_areas.model.objects
    area_entries.filter(history__in=[entry.pk for entry in entries[1:]]).delete()  # as status changes wrote them
    Action.history.model.cities_involved.model.objects.all().delete()  # not kept until 0014
    action.cities_involved.through.objects.create(action=action, city=lima)

    migration = importlib.import_module("commitments.migrations.0014_history_of_cities_values_funds")
    migration.repair_entries(apps, None)

    assert areas_and_cities_of_each_entry(action) == [({area.pk for area in areas}, {lima.pk})] * 3


def test_a_creation_entry_written_before_its_focus_areas_gets_them_from_the_migration(ambassador, commitment):
    """Before, an action was saved and then given its areas: its creation entry had none."""
    areas = list(commitment.focus_areas.all()[:2])
    action = services.action_create(by=ambassador, commitment=commitment, data={"title": "Huertos"}, focus_areas=areas)
    services.action_update(action=action, by=ambassador, data={"title": "Huertos urbanos"})
    created = Action.history.get(id=action.pk, history_type="+")
    Action.history.model.focus_areas.model.objects.filter(history=created).delete()

    migration = importlib.import_module("commitments.migrations.0014_history_of_cities_values_funds")
    migration.repair_creation_entries(apps, None)

    assert [entry[0] for entry in areas_and_cities_of_each_entry(action)] == [{area.pk for area in areas}] * 2


def test_saving_only_what_changed_keeps_the_unchanged_links_and_values_as_they_were(ambassador, commitment):
    action = ActionFactory(by=ambassador)
    indicator = commitment.indicators.get(code="3.1-a")
    links = [
        {"url": "https://example.org/acta", "title": "Acta"},
        {"url": "https://example.org/fotos", "title": "Fotos"},
    ]
    services.action_update(action=action, by=ambassador, data={}, indicator_values={indicator.pk: 5}, links=links)
    ids = list(action.evidence.order_by("pk").values_list("pk", flat=True))
    value_id = action.indicator_values.get().pk
    entries = Evidence.history.count() + IndicatorValue.history.count()

    services.action_update(action=action, by=ambassador, data={}, indicator_values={indicator.pk: 5}, links=links)
    assert Evidence.history.count() + IndicatorValue.history.count() == entries

    links[1] = {**links[1], "title": "Fotos de la jornada"}
    services.action_update(action=action, by=ambassador, data={}, links=links)
    assert list(action.evidence.order_by("pk").values_list("pk", flat=True)) == ids  # edited in place, same rows
    assert action.indicator_values.get().pk == value_id
    changed = Evidence.history.filter(id=ids[1]).latest("history_date")
    assert (changed.history_type, changed.title, changed.history_user) == ("~", "Fotos de la jornada", ambassador)


def edit(client, action, **changes):
    """Post the action's edit form as its page shows it, with `changes` over it."""
    url = reverse("commitments:action_edit", args=[action.pk])
    page = client.get(url)
    data = {}
    for name in ("form", "values_form"):
        form = page.context[name]
        for field_name in form.fields:
            value = form[field_name].value()
            if value not in (None, False):
                data[form.add_prefix(field_name)] = value
    formset = page.context["links"]
    data.update(
        {"links-TOTAL_FORMS": formset.initial_form_count(), "links-INITIAL_FORMS": formset.initial_form_count()}
    )
    for form in formset.initial_forms:
        for field_name in form.fields:
            value = form[field_name].value()
            if value not in (None, False):
                data[form.add_prefix(field_name)] = value
    data.update(changes)
    response = client.post(url, {**data, "save": ""})
    assert response.status_code == 302, response.context and [
        form.errors for form in (response.context["form"], response.context["values_form"])
    ]
    return response


def test_the_page_shows_each_change_of_values_links_and_cities_with_before_and_after(
    client_for, ambassador, other_ambassador, coordinator, coordinator_elsewhere, commitment, rosario, time_machine
):
    time_machine.move_to(NOW, tick=False)
    indicator = commitment.indicators.get(code="3.1-a")  # m³
    action = services.action_create(
        by=ambassador,
        commitment=commitment,
        data={"title": "Cosecha de lluvia", "started_on": datetime.date(2026, 10, 5), "description": "Con vecinos."},
        focus_areas=list(commitment.focus_areas.all()[:1]),
        indicator_values={indicator.pk: Decimal("35")},
        links=[{"url": "https://example.org/nota", "title": "Nota"}],
    )
    services.evidence_add_file(action=action, by=ambassador, uploaded_file=upload("acta.pdf", pdf_bytes()))
    client = client_for(ambassador)
    time_machine.shift(datetime.timedelta(hours=1))
    edit(
        client,
        action,
        title="Cosecha de lluvia en escuelas",
        cities_involved=[rosario.pk],
        **{
            f"values-indicator_{indicator.pk}": "40",
            "links-0-title": "Nota de prensa",
        },
    )
    time_machine.shift(datetime.timedelta(hours=1))
    edit(client, action, **{f"values-indicator_{indicator.pk}": "", "links-0-DELETE": "on"})
    time_machine.shift(datetime.timedelta(seconds=5))
    services.action_submit(action=action, by=ambassador)  # the same minute: the same entry
    time_machine.shift(datetime.timedelta(days=2))
    services.action_return(action=action, by=coordinator, comment="Falta la foto.")
    time_machine.shift(datetime.timedelta(days=1))
    services.action_submit(action=action, by=ambassador)
    time_machine.shift(datetime.timedelta(days=1))
    services.action_approve(action=action, by=coordinator)

    response = client_for(coordinator).get(reverse("commitments:action", args=[action.pk]))
    timeline = [(entry.who, entry.changes) for entry in response.context["timeline"]]
    area = commitment.focus_areas.first().name
    assert timeline == [
        (
            "Alicia",
            [
                "creó la acción",
                f"añadió el área de enfoque «{area}»",
                "añadió el valor 3.1-a: 35 m³",
                "añadió el enlace «Nota» (https://example.org/nota)",
                "añadió el archivo «acta.pdf»",
            ],
        ),
        (
            "Alicia",
            [
                "cambió el título de «Cosecha de lluvia» a «Cosecha de lluvia en escuelas»",
                "añadió la ciudad involucrada Rosario (AR)",
                "cambió el valor 3.1-a de 35 m³ a 40 m³",
                "cambió la descripción del enlace https://example.org/nota de «Nota» a «Nota de prensa»",
            ],
        ),
        (
            "Alicia",
            [
                "quitó el valor 3.1-a (40 m³)",
                "quitó el enlace «Nota de prensa» (https://example.org/nota)",
                "envió a revisión",
            ],
        ),
        ("Carla", ["devolvió con el comentario «Falta la foto.»"]),
        ("Alicia", ["envió a revisión"]),
        ("Carla", ["aprobó"]),
    ]
    page = response.content.decode()
    assert "cambió el valor 3.1-a de 35 m³ a 40 m³" in page
    assert "<time datetime=" in page
    # Only those who may see the action see its history: the page is out of others' reach.
    assert client_for(coordinator_elsewhere).get(reverse("commitments:action", args=[action.pk])).status_code == 404


def test_the_timeline_speaks_the_readers_language(ambassador, commitment, time_machine):
    time_machine.move_to(NOW, tick=False)
    action = ActionFactory(by=ambassador)
    time_machine.shift(datetime.timedelta(hours=1))
    services.action_update(action=action, by=ambassador, data={"title": "Limpieza del río Rímac"})
    with translation.override("en"):
        assert [entry.changes for entry in action_timeline(action)] == [
            ["created the action", f"added the focus area «{commitment.focus_areas.first().name}»"],
            ["changed the title from «Jornada de limpieza del río» to «Limpieza del río Rímac»"],
        ]
    with translation.override("pt-br"):
        assert action_timeline(action)[1].changes == [
            "alterou o título de «Jornada de limpieza del río» para «Limpieza del río Rímac»"
        ]


def test_deleting_a_draft_records_who_removed_its_values_and_links(ambassador, commitment):
    action = ActionFactory(by=ambassador)
    indicator = commitment.indicators.get(code="3.1-a")
    services.action_update(
        action=action,
        by=ambassador,
        data={},
        indicator_values={indicator.pk: Decimal("3")},
        links=[{"url": "https://example.org/acta", "title": "Acta"}],
    )
    pk = action.pk
    services.action_delete(action=action, by=ambassador)
    for model in (IndicatorValue, Evidence):
        deleted = model.history.get(action_id=pk, history_type="-")
        assert deleted.history_user == ambassador


def test_the_action_page_runs_the_same_few_queries_however_long_its_history(
    client_for, ambassador, coordinator, commitment, django_assert_max_num_queries, time_machine
):
    time_machine.move_to(NOW, tick=False)
    indicator = commitment.indicators.get(code="3.1-a")
    short = ActionFactory(by=ambassador)
    long = ActionFactory(by=ambassador)
    for n in range(1, 6):
        time_machine.shift(datetime.timedelta(hours=1))
        services.action_update(
            action=long,
            by=ambassador,
            data={"title": f"Versión {n}"},
            indicator_values={indicator.pk: Decimal(n)},
            links=[{"url": f"https://example.org/{n}", "title": ""}],
        )
        time_machine.shift(datetime.timedelta(seconds=5))
        services.action_submit(action=long, by=ambassador)  # with the edit: one entry
        time_machine.shift(datetime.timedelta(hours=1))
        services.action_return(action=long, by=coordinator, comment=f"Ronda {n}")
    client = client_for(coordinator)
    with django_assert_max_num_queries(18) as short_page:
        client.get(reverse("commitments:action", args=[short.pk]))
    with django_assert_max_num_queries(18) as long_page:
        response = client.get(reverse("commitments:action", args=[long.pk]))
    assert len(response.context["timeline"]) == 1 + 5 * 2
    assert len(long_page.captured_queries) == len(short_page.captured_queries)
