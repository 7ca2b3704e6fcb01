"""The three action axes of the organisation's document "Funciones y Compromisos".

Names in Spanish are the organisation's own, word for word; English and Portuguese are
working translations; descriptions are ours.
"""

from django.db import migrations

AXES = [
    {
        "number": 1,
        "name_es": "Dinamización de la Cultura de Gobierno",
        "name_en": "Energising the culture of government",
        "name_pt_br": "Dinamização da Cultura de Governo",
        "description_es": (
            "Gobiernos locales que comparten sus prácticas exitosas, difunden la Escuela de Gobernanza "
            "Emocional, abren la participación política a todas las personas y atraen fondos internacionales "
            "para la transición ecológica."
        ),
        "description_en": (
            "Local governments that share their successful practices, spread the School of Emotional "
            "Governance, open political participation to all people and attract international funds for the "
            "ecological transition."
        ),
        "description_pt_br": (
            "Governos locais que compartilham suas práticas bem-sucedidas, difundem a Escola de Governança "
            "Emocional, abrem a participação política a todas as pessoas e atraem fundos internacionais para a "
            "transição ecológica."
        ),
        "colour": "#1F5F99",
        "sdg_goals": [16, 17],
    },
    {
        "number": 2,
        "name_es": "Desarrollo humano y restauración del tejido social",
        "name_en": "Human development and restoration of the social fabric",
        "name_pt_br": "Desenvolvimento humano e restauração do tecido social",
        "description_es": (
            "Políticas públicas, programas y acciones hacia sociedades inclusivas, prósperas e igualitarias, que "
            "cuidan los ecosistemas, fortalecen la economía local y empoderan a la ciudadanía."
        ),
        "description_en": (
            "Public policies, programmes and actions towards inclusive, prosperous and equal societies that care "
            "for ecosystems, strengthen the local economy and empower citizens."
        ),
        "description_pt_br": (
            "Políticas públicas, programas e ações rumo a sociedades inclusivas, prósperas e igualitárias, que "
            "cuidam dos ecossistemas, fortalecem a economia local e empoderam a cidadania."
        ),
        "colour": "#A23B72",
        "sdg_goals": [1, 5, 8, 10, 11],
    },
    {
        "number": 3,
        "name_es": (
            "Acción climática para proteger los océanos y ecosistemas terrestres y dobles esfuerzos en el "
            "cumplimiento ODS 6 Agua y Saneamiento"
        ),
        "name_en": (
            "Climate action to protect oceans and land ecosystems, and redoubled efforts to meet SDG 6 Clean "
            "Water and Sanitation"
        ),
        "name_pt_br": (
            "Ação climática para proteger os oceanos e os ecossistemas terrestres e esforços redobrados no "
            "cumprimento do ODS 6 Água e Saneamento"
        ),
        "description_es": (
            "Gestión integrada del agua y acción climática: prevenir la contaminación, proteger suelos y "
            "acuíferos, reducir el riesgo de desastres y asegurar agua y saneamiento para todas las personas."
        ),
        "description_en": (
            "Integrated water management and climate action: preventing pollution, protecting soil and aquifers, "
            "reducing disaster risk and securing water and sanitation for everyone."
        ),
        "description_pt_br": (
            "Gestão integrada da água e ação climática: prevenir a poluição, proteger solos e aquíferos, reduzir "
            "o risco de desastres e garantir água e saneamento para todas as pessoas."
        ),
        "colour": "#0E7C66",
        "sdg_goals": [6, 13, 14, 15],
    },
]


def load_axes(apps, schema_editor):
    Axis = apps.get_model("action_axes", "Axis")
    for axis in AXES:
        Axis.objects.update_or_create(number=axis["number"], defaults={k: v for k, v in axis.items() if k != "number"})


def unload_axes(apps, schema_editor):
    apps.get_model("action_axes", "Axis").objects.filter(number__in=[axis["number"] for axis in AXES]).delete()


class Migration(migrations.Migration):
    dependencies = [("action_axes", "0001_axis")]

    operations = [migrations.RunPython(load_axes, unload_axes)]
