"""SDG 6 in full under commitment 3.1: the global indicators of goal 6 that the seeded catalogue
lacked (it had 6.1.1 as 3.1-b and 6.3.1 as 3.1-c), coded on after 3.1-e (3.1-f to 3.1-n) in the order of goal 6.

The Spanish and English names are the UN's official ones, word for word as in the project's seed
(sdg-indicators.csv); the Portuguese ones are Brazil's official wording (IBGE / IPEA, ODS Brasil).
A level or a proportion is read per period (the last value measured), never summed; a water-stress
level is a number in % because it passes 100 % where more water is withdrawn than renews; an
amount of development aid is summed over the actions that brought it.

Update or create, by code: an admin's later edits are overwritten only by running it again.
Reversing it deletes the indicators nobody used; one that has values or targets stays,
deactivated (as 0016 retired 1.4-a), so what was recorded stays readable.
"""

from django.db import migrations
from django.db.models import Exists, OuterRef, Q

PERCENT = ("%", "%", "%")

# (code, SDG indicator, name es/en/pt, unit es/en/pt, kind, direction, aggregation)
SDG6_INDICATORS = [
    ("3.1-f", "6.2.1", ("Proporción de la población que utiliza: a) servicios de saneamiento gestionados sin riesgos y b) instalaciones para el lavado de manos con agua y jabón", "Proportion of population using (a) safely managed sanitation services and (b) a hand-washing facility with soap and water", "Proporção da população que utiliza (a) serviços de saneamento gerenciados de forma segura e (b) instalações para lavagem das mãos com água e sabão"), PERCENT, "percentage", "increase", "per_period"),
    ("3.1-g", "6.3.2", ("Proporción de masas de agua de buena calidad", "Proportion of bodies of water with good ambient water quality", "Proporção de corpos hídricos com boa qualidade ambiental"), PERCENT, "percentage", "increase", "per_period"),
    ("3.1-h", "6.4.1", ("Cambio en el uso eficiente de los recursos hídricos con el paso del tiempo", "Change in water-use efficiency over time", "Alteração da eficiência no uso da água ao longo do tempo"), ("USD/m³", "USD/m³", "USD/m³"), "number", "increase", "per_period"),
    ("3.1-i", "6.4.2", ("Nivel de estrés hídrico: extracción de agua dulce en proporción a los recursos de agua dulce disponibles", "Level of water stress: freshwater withdrawal as a proportion of available freshwater resources", "Nível de stress hídrico: proporção das retiradas de água doce em relação ao total dos recursos de água doce disponíveis"), PERCENT, "number", "decrease", "per_period"),
    ("3.1-j", "6.5.1", ("Grado de implementación de la gestión integrada de los recursos hídricos (0-100)", "Degree of integrated water resources management implementation (0-100)", "Grau de implementação da gestão integrada de recursos hídricos (0-100)"), ("índice 0–100", "index 0–100", "índice 0–100"), "percentage", "increase", "per_period"),
    ("3.1-k", "6.5.2", ("Proporción de la superficie de cuencas transfronterizas sujetas a arreglos operacionales para la cooperación en materia de aguas", "Proportion of transboundary basin area with an operational arrangement for water cooperation", "Proporção das áreas de bacias hidrográficas transfronteiriças abrangidas por um acordo operacional para cooperação hídrica"), PERCENT, "percentage", "increase", "per_period"),
    ("3.1-l", "6.6.1", ("Cambio en la extensión de los ecosistemas relacionados con el agua con el paso del tiempo", "Change in the extent of water-related ecosystems over time", "Alteração na extensão dos ecossistemas relacionados à água ao longo do tempo"), ("ha", "ha", "ha"), "number", "increase", "per_period"),
    ("3.1-m", "6.a.1", ("Volumen de la asistencia oficial para el desarrollo destinada al agua y el saneamiento que forma parte de un plan de gastos coordinado por el gobierno", "Amount of water- and sanitation-related official development assistance that is part of a government-coordinated spending plan", "Montante de ajuda oficial ao desenvolvimento na área da água e saneamento, inserida num plano governamental de despesa"), ("USD", "USD", "USD"), "number", "increase", "cumulative"),
    ("3.1-n", "6.b.1", ("Proporción de dependencias administrativas locales que han establecido políticas y procedimientos operacionales para la participación de las comunidades locales en la gestión del agua y el saneamiento", "Proportion of local administrative units with established and operational policies and procedures for participation of local communities in water and sanitation management", "Proporção das unidades administrativas locais com políticas e procedimentos estabelecidos e operacionais para a participação das comunidades locais na gestão de água e saneamento"), PERCENT, "percentage", "increase", "per_period"),
]  # fmt: skip

# After the 19 indicators of 0002 (orders 0 to 18).
FIRST_ORDER = 19


def _languages(prefix, values):
    return dict(zip((f"{prefix}_es", f"{prefix}_en", f"{prefix}_pt_br"), values, strict=True))


def add_sdg6_indicators(apps, schema_editor):
    Commitment = apps.get_model("commitments", "Commitment")
    Indicator = apps.get_model("commitments", "Indicator")
    water = Commitment.objects.get(axis__number=3, number=1)
    for position, (code, sdg, names, units, kind, direction, aggregation) in enumerate(SDG6_INDICATORS):
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "commitment": water,
                **_languages("name", names),
                **_languages("unit", units),
                "kind": kind,
                "direction": direction,
                "aggregation": aggregation,
                "sdg_indicator": sdg,
                "active": True,
                "order": FIRST_ORDER + position,
            },
        )


def remove_sdg6_indicators(apps, schema_editor):
    Indicator = apps.get_model("commitments", "Indicator")
    added = Indicator.objects.filter(code__in=[row[0] for row in SDG6_INDICATORS])
    used = added.filter(_used(apps))
    used.update(active=False)
    added.exclude(_used(apps)).delete()


def _used(apps):
    """An indicator with values or targets recorded against it."""
    values = apps.get_model("commitments", "IndicatorValue").objects.filter(indicator=OuterRef("pk"))
    targets = apps.get_model("commitments", "Target").objects.filter(indicator=OuterRef("pk"))
    return Q(Exists(values)) | Q(Exists(targets))


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0020_action_kinds_and_wider_people_counts"),
    ]

    operations = [migrations.RunPython(add_sdg6_indicators, remove_sdg6_indicators)]
