"""The action's audit trail made complete: entries for its indicator values and funds, its other
cities in each entry of the action; and the entries that lied, repaired.

An action's creation entry was written before its focus areas were set: it gets those of the
first later entry that has them. A status change's entry was written without the action's focus
areas, as if they had been emptied: a status change never changes them, so each such entry gets those of the entry before
it. The cities involved were not kept in the entries until now: each entry of an action gets its
cities of today, the best that is known (the entries said nothing of them).
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

BATCH = 2000


def repair_creation_entries(apps, schema_editor):
    """An action was saved, then given its focus areas: its creation entry was written without
    them. Each such entry gets the areas of the first later entry of the action that has any (the
    one the areas' setting wrote)."""
    HistoricalAction = apps.get_model("commitments", "HistoricalAction")
    AreaEntry = apps.get_model("commitments", "HistoricalAction_focus_areas")
    bare = HistoricalAction.objects.filter(history_type="+").exclude(
        history_id__in=AreaEntry.objects.values("history_id")
    )
    pending = list(bare.values_list("history_id", "id", "history_date"))
    for start in range(0, len(pending), BATCH):
        chunk = pending[start : start + BATCH]
        later = (
            AreaEntry.objects.filter(history__id__in={action_id for _history, action_id, _date in chunk})
            .order_by("history__history_date", "history_id")
            .values_list("history_id", "history__id", "history__history_date", "id", "focusarea_id")
        )
        first_with_areas = {}  # action id -> (its entry, [(through id, area id)])
        for history_id, action_id, date, through_id, area_id in later:
            entry, areas = first_with_areas.setdefault(action_id, (history_id, []))
            if entry == history_id:
                areas.append((date, through_id, area_id))
        AreaEntry.objects.bulk_create(
            [
                AreaEntry(history_id=history_id, id=through_id, action_id=action_id, focusarea_id=area_id)
                for history_id, action_id, created in chunk
                for date, through_id, area_id in first_with_areas.get(action_id, (None, []))[1]
                if date >= created
            ],
            batch_size=BATCH,
        )


def repair_entries(apps, schema_editor):
    HistoricalAction = apps.get_model("commitments", "HistoricalAction")
    AreaEntry = apps.get_model("commitments", "HistoricalAction_focus_areas")
    CityEntry = apps.get_model("commitments", "HistoricalAction_cities_involved")
    Through = apps.get_model("commitments", "Action").cities_involved.through
    entries = HistoricalAction.objects.order_by("id", "history_date", "history_id").values_list(
        "history_id", "id", "status"
    )
    previous, previous_areas = None, []  # the entry before, and its focus areas (as repaired)
    chunk = []
    for entry in entries.iterator(chunk_size=BATCH):
        chunk.append(entry)
        if len(chunk) == BATCH:
            previous, previous_areas = _repair(chunk, previous, previous_areas, AreaEntry, CityEntry, Through)
            chunk = []
    _repair(chunk, previous, previous_areas, AreaEntry, CityEntry, Through)


def _repair(chunk, previous, previous_areas, AreaEntry, CityEntry, Through):
    if not chunk:
        return previous, previous_areas
    areas_of = {}
    for history_id, through_id, action_id, area_id in AreaEntry.objects.filter(
        history_id__in=[history_id for history_id, _action, _status in chunk]
    ).values_list("history_id", "id", "action_id", "focusarea_id"):
        areas_of.setdefault(history_id, []).append((through_id, action_id, area_id))
    cities_now = {}
    for through_id, action_id, city_id in Through.objects.filter(
        action_id__in={action_id for _history, action_id, _status in chunk}
    ).values_list("id", "action_id", "city_id"):
        cities_now.setdefault(action_id, []).append((through_id, action_id, city_id))
    areas, cities = [], []
    for history_id, action_id, status in chunk:
        current_areas = areas_of.get(history_id, [])
        same_action = previous is not None and previous[1] == action_id
        if same_action and status != previous[2] and not current_areas and previous_areas:
            current_areas = previous_areas
            areas += [
                AreaEntry(history_id=history_id, id=through_id, action_id=action, focusarea_id=area)
                for through_id, action, area in current_areas
            ]
        cities += [
            CityEntry(history_id=history_id, id=through_id, action_id=action, city_id=city)
            for through_id, action, city in cities_now.get(action_id, [])
        ]
        previous, previous_areas = (history_id, action_id, status), current_areas
    AreaEntry.objects.bulk_create(areas, batch_size=BATCH)
    CityEntry.objects.bulk_create(cities, batch_size=BATCH)
    return previous, previous_areas


class Migration(migrations.Migration):
    dependencies = [
        ("ambassadors", "0004_access_attempts"),
        ("commitments", "0013_submitted_actions_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalAction_cities_involved",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
                (
                    "action",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="commitments.action",
                    ),
                ),
                (
                    "city",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="ambassadors.city",
                    ),
                ),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="commitments.historicalaction",
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalAction_cities_involved",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalFund",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("amount", models.DecimalField(decimal_places=2, max_digits=16, verbose_name="monto")),
                (
                    "currency",
                    models.CharField(
                        choices=[
                            ("USD", "Dólar estadounidense (USD)"),
                            ("EUR", "Euro (EUR)"),
                            ("ARS", "Peso argentino (ARS)"),
                            ("BOB", "Boliviano (BOB)"),
                            ("BRL", "Real brasileño (BRL)"),
                            ("CLP", "Peso chileno (CLP)"),
                            ("COP", "Peso colombiano (COP)"),
                            ("CRC", "Colón costarricense (CRC)"),
                            ("CUP", "Peso cubano (CUP)"),
                            ("DOP", "Peso dominicano (DOP)"),
                            ("GTQ", "Quetzal (GTQ)"),
                            ("HNL", "Lempira (HNL)"),
                            ("HTG", "Gourde (HTG)"),
                            ("JMD", "Dólar jamaiquino (JMD)"),
                            ("MXN", "Peso mexicano (MXN)"),
                            ("NIO", "Córdoba (NIO)"),
                            ("PAB", "Balboa (PAB)"),
                            ("PEN", "Sol (PEN)"),
                            ("PYG", "Guaraní (PYG)"),
                            ("TTD", "Dólar de Trinidad y Tobago (TTD)"),
                            ("UYU", "Peso uruguayo (UYU)"),
                            ("VES", "Bolívar (VES)"),
                            ("XCD", "Dólar del Caribe Oriental (XCD)"),
                        ],
                        default="USD",
                        max_length=3,
                        verbose_name="moneda",
                    ),
                ),
                ("funder", models.CharField(max_length=200, verbose_name="fuente de financiamiento")),
                (
                    "stage",
                    models.CharField(
                        choices=[
                            ("identified", "Identificado"),
                            ("applied", "Solicitado"),
                            ("awarded", "Otorgado"),
                            ("disbursed", "Desembolsado"),
                        ],
                        default="identified",
                        max_length=10,
                        verbose_name="etapa",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "action",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="commitments.action",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical fondo",
                "verbose_name_plural": "historical fondos",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalIndicatorValue",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("value", models.DecimalField(decimal_places=2, max_digits=16, verbose_name="valor")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "action",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="commitments.action",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "indicator",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="commitments.indicator",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical valor de indicador",
                "verbose_name_plural": "historical valores de indicadores",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(repair_creation_entries, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(repair_entries, migrations.RunPython.noop, elidable=True),
    ]
