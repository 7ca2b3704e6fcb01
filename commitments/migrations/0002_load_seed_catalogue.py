"""The six commitments of "Funciones y Compromisos", their focus areas and starter indicators.

The Spanish text of each commitment is the organisation's own, word for word (the line
breaks of 2.1 in the source document are joined by single spaces). English and
Portuguese are working translations; short titles, focus-area names and indicators are
ours. Indicators with an SDG code use the official UN Spanish name of that indicator.
"""

from django.db import migrations

COMMITMENTS = [
    {
        "axis": 1,
        "number": 1,
        "title": (
            "Prácticas exitosas compartidas",
            "Successful practices shared",
            "Práticas bem-sucedidas compartilhadas",
        ),
        "text": (
            "Fortalecer los lazos internacionales a través de compartir las prácticas exitosas de sus gobiernos que "
            "destaquen por un alto impacto de innovación social y ambiental.",
            "Strengthen international ties by sharing the successful practices of their governments that stand out "
            "for a high impact of social and environmental innovation.",
            "Fortalecer os laços internacionais por meio do compartilhamento das práticas bem-sucedidas de seus "
            "governos que se destaquem por um alto impacto de inovação social e ambiental.",
        ),
        "focus_areas": [
            ("Innovación social", "Social innovation", "Inovação social"),
            ("Innovación ambiental", "Environmental innovation", "Inovação ambiental"),
            (
                "Intercambio de prácticas entre ciudades",
                "Exchange of practices between cities",
                "Intercâmbio de práticas entre cidades",
            ),
        ],
    },
    {
        "axis": 1,
        "number": 2,
        "title": (
            "Escuela de Gobernanza Emocional",
            "School of Emotional Governance",
            "Escola de Governança Emocional",
        ),
        "text": (
            "Difundir la nueva Escuela de Gobernanza Emocional, la cual promueve una nueva cultura de gobierno ágil, "
            "efectiva y humana, una forma de liderazgo creativo, dinámico, sensible, de escucha activa y cercana al "
            "ciudadano, con aire y consciencia de mejora.",
            "Spread the new School of Emotional Governance, which promotes a new culture of government that is agile, "
            "effective and humane: creative, dynamic, sensitive leadership that listens actively, stays close to "
            "citizens and strives to improve.",
            "Difundir a nova Escola de Governança Emocional, que promove uma nova cultura de governo ágil, eficaz e "
            "humana, uma forma de liderança criativa, dinâmica, sensível, de escuta ativa e próxima do cidadão, com "
            "ânimo e consciência de melhoria.",
        ),
        "focus_areas": [
            ("Formación en Gobernanza Emocional", "Emotional Governance training", "Formação em Governança Emocional"),
            ("Liderazgo cercano a la ciudadanía", "Leadership close to citizens", "Liderança próxima da cidadania"),
            ("Difusión de la Escuela", "Spreading the School", "Divulgação da Escola"),
        ],
    },
    {
        "axis": 1,
        "number": 3,
        "title": (
            "Participación política accesible",
            "Accessible political participation",
            "Participação política acessível",
        ),
        "text": (
            "Promoviendo una cultura de gobierno y participación política accesible a todas las personas.",
            "Promote a culture of government and political participation accessible to all people.",
            "Promover uma cultura de governo e de participação política acessível a todas as pessoas.",
        ),
        "focus_areas": [
            ("Participación ciudadana", "Citizen participation", "Participação cidadã"),
            ("Accesibilidad", "Accessibility", "Acessibilidade"),
            (
                "Inclusión de grupos históricamente excluidos",
                "Inclusion of historically excluded groups",
                "Inclusão de grupos historicamente excluídos",
            ),
        ],
    },
    {
        "axis": 1,
        "number": 4,
        "title": (
            "Fondos internacionales para la transición ecológica",
            "International funds for the ecological transition",
            "Fundos internacionais para a transição ecológica",
        ),
        "text": (
            "Fomentar la cultura de atracción de recursos y fondos internacionales hacia sus localidades para "
            "financiar las acciones hacia la transición ecológica. Fomentando el diagnóstico, la estrategia y "
            "planeación de una transición viable a corto, mediano y largo plazo.",
            "Foster a culture of attracting international resources and funds to their localities to finance "
            "actions towards the ecological transition, encouraging the diagnosis, strategy and planning of a viable "
            "transition in the short, medium and long term.",
            "Fomentar a cultura de atração de recursos e fundos internacionais para suas localidades a fim de "
            "financiar as ações rumo à transição ecológica, fomentando o diagnóstico, a estratégia e o planejamento "
            "de uma transição viável a curto, médio e longo prazo.",
        ),
        "focus_areas": [
            ("Diagnóstico", "Diagnosis", "Diagnóstico"),
            ("Estrategia", "Strategy", "Estratégia"),
            ("Planeación a corto plazo", "Short-term planning", "Planejamento de curto prazo"),
            ("Planeación a mediano plazo", "Medium-term planning", "Planejamento de médio prazo"),
            ("Planeación a largo plazo", "Long-term planning", "Planejamento de longo prazo"),
            (
                "Atracción de fondos internacionales",
                "Attracting international funds",
                "Atração de fundos internacionais",
            ),
        ],
    },
    {
        "axis": 2,
        "number": 1,
        "title": (
            "Sociedades inclusivas, prósperas e igualitarias",
            "Inclusive, prosperous and equal societies",
            "Sociedades inclusivas, prósperas e igualitárias",
        ),
        "text": (
            "Implementar políticas públicas y acciones de gobierno hacia sociedades inclusivas, prósperas e "
            "igualitarias. Programas y acciones que impulsen la renovación de los sistemas sociales y de las "
            "ciudades, promoviendo el cuidado de los ecosistemas, el fortalecimiento de la economía local y el "
            "empoderamiento de todas y todos los ciudadanos.",
            "Implement public policies and government actions towards inclusive, prosperous and equal societies: "
            "programmes and actions that renew social systems and cities, promoting care for ecosystems, a stronger "
            "local economy and the empowerment of every citizen.",
            "Implementar políticas públicas e ações de governo rumo a sociedades inclusivas, prósperas e "
            "igualitárias: programas e ações que impulsionem a renovação dos sistemas sociais e das cidades, "
            "promovendo o cuidado dos ecossistemas, o fortalecimento da economia local e o empoderamento de todas e "
            "todos os cidadãos.",
        ),
        "focus_areas": [
            ("Cuidado de los ecosistemas", "Care for ecosystems", "Cuidado dos ecossistemas"),
            ("Economía local", "Local economy", "Economia local"),
            ("Empoderamiento ciudadano", "Citizen empowerment", "Empoderamento cidadão"),
            (
                "Renovación de los sistemas sociales y de las ciudades",
                "Renewal of social systems and cities",
                "Renovação dos sistemas sociais e das cidades",
            ),
        ],
    },
    {
        "axis": 3,
        "number": 1,
        "title": (
            "Gestión integrada de recursos hídricos",
            "Integrated water-resources management",
            "Gestão integrada de recursos hídricos",
        ),
        "text": (
            "Gestión integrada de recursos hídricos: soluciones complejas para la prevención de la contaminación, "
            "protección del suelo y las aguas subterráneas, la seguridad alimentaria, gestión de riesgo de desastres "
            "incluyendo inundaciones, sequías y aquellos ocasionados por el hombre, almacenamiento de agua y "
            "reciclaje, el nexo agua-alimento-energía.",
            "Integrated water-resources management: comprehensive solutions for pollution prevention, protection of "
            "soil and groundwater, food security, disaster-risk management including floods, droughts and "
            "human-caused disasters, water storage and recycling, and the water-food-energy nexus.",
            "Gestão integrada de recursos hídricos: soluções abrangentes para a prevenção da poluição, a proteção do "
            "solo e das águas subterrâneas, a segurança alimentar, a gestão de riscos de desastres, incluindo "
            "inundações, secas e os causados pelo ser humano, o armazenamento e a reciclagem de água e o nexo "
            "água-alimento-energia.",
        ),
        "focus_areas": [
            ("Prevención de la contaminación", "Pollution prevention", "Prevenção da poluição"),
            (
                "Protección del suelo y las aguas subterráneas",
                "Protection of soil and groundwater",
                "Proteção do solo e das águas subterrâneas",
            ),
            ("Seguridad alimentaria", "Food security", "Segurança alimentar"),
            ("Gestión de riesgo de desastres", "Disaster-risk management", "Gestão de riscos de desastres"),
            ("Almacenamiento y reciclaje de agua", "Water storage and recycling", "Armazenamento e reciclagem de água"),
            ("Nexo agua-alimento-energía", "Water-food-energy nexus", "Nexo água-alimento-energia"),
        ],
    },
]

PEOPLE = ("personas", "people", "pessoas")
YES_NO = ("sí / no", "yes / no", "sim / não")
PERCENT = ("%", "%", "%")

# (code, commitment, name es/en/pt, unit es/en/pt, kind, direction, aggregation, SDG indicator)
INDICATORS = [
    ("1.1-a", "1.1", ("Prácticas exitosas compartidas con otras ciudades", "Successful practices shared with other cities", "Práticas bem-sucedidas compartilhadas com outras cidades"), ("prácticas", "practices", "práticas"), "number", "increase", "cumulative", ""),
    ("1.1-b", "1.1", ("Ciudades con las que se establecieron lazos de cooperación", "Cities with which cooperation ties were established", "Cidades com as quais foram estabelecidos laços de cooperação"), ("ciudades", "cities", "cidades"), "number", "increase", "cumulative", ""),
    ("1.2-a", "1.2", ("Personas formadas en Gobernanza Emocional", "People trained in Emotional Governance", "Pessoas formadas em Governança Emocional"), PEOPLE, "number", "increase", "cumulative", ""),
    ("1.2-b", "1.2", ("Sesiones de difusión de la Escuela de Gobernanza Emocional", "Outreach sessions of the School of Emotional Governance", "Sessões de divulgação da Escola de Governança Emocional"), ("sesiones", "sessions", "sessões"), "number", "increase", "cumulative", ""),
    ("1.3-a", "1.3", ("Eventos de participación ciudadana", "Citizen participation events", "Eventos de participação cidadã"), ("eventos", "events", "eventos"), "number", "increase", "cumulative", ""),
    ("1.3-b", "1.3", ("Participantes en eventos de participación ciudadana", "Participants in citizen participation events", "Participantes em eventos de participação cidadã"), PEOPLE, "number", "increase", "cumulative", ""),
    ("1.3-c", "1.3", ("Estructura de participación directa de la sociedad civil en la planificación y la gestión urbanas", "Direct participation structure of civil society in urban planning and management", "Estrutura de participação direta da sociedade civil no planejamento e na gestão urbanos"), YES_NO, "yes_no", "increase", "per_period", "11.3.2"),
    ("1.3-d", "1.3", ("Proporción de la población que considera que la adopción de decisiones es inclusiva y responde a sus necesidades", "Proportion of population who believe decision-making is inclusive and responsive", "Proporção da população que considera que a tomada de decisões é inclusiva e responde às suas necessidades"), PERCENT, "percentage", "increase", "per_period", "16.7.2"),
    ("1.4-a", "1.4", ("Fondos internacionales movilizados", "International funds mobilised", "Fundos internacionais mobilizados"), ("USD", "USD", "USD"), "number", "increase", "cumulative", ""),
    ("1.4-b", "1.4", ("Solicitudes de financiamiento internacional presentadas", "International funding applications submitted", "Pedidos de financiamento internacional apresentados"), ("solicitudes", "applications", "pedidos"), "number", "increase", "cumulative", ""),
    ("1.4-c", "1.4", ("Plan de transición ecológica a corto, mediano y largo plazo adoptado", "Short-, medium- and long-term ecological transition plan adopted", "Plano de transição ecológica de curto, médio e longo prazo adotado"), YES_NO, "yes_no", "increase", "per_period", ""),
    ("2.1-a", "2.1", ("Políticas públicas y programas adoptados", "Public policies and programmes adopted", "Políticas públicas e programas adotados"), ("políticas", "policies", "políticas"), "number", "increase", "cumulative", ""),
    ("2.1-b", "2.1", ("Personas beneficiadas", "People benefited", "Pessoas beneficiadas"), PEOPLE, "number", "increase", "cumulative", ""),
    ("2.1-c", "2.1", ("Emprendimientos y negocios locales apoyados", "Local enterprises and businesses supported", "Empreendimentos e negócios locais apoiados"), ("negocios", "businesses", "negócios"), "number", "increase", "cumulative", ""),
    ("3.1-a", "3.1", ("Agua reciclada o almacenada", "Water recycled or stored", "Água reciclada ou armazenada"), ("m³", "m³", "m³"), "number", "increase", "cumulative", ""),
    ("3.1-b", "3.1", ("Proporción de la población que utiliza servicios de suministro de agua potable gestionados sin riesgos", "Proportion of population using safely managed drinking water services", "Proporção da população que utiliza serviços de água potável gerenciados de forma segura"), PERCENT, "percentage", "increase", "per_period", "6.1.1"),
    ("3.1-c", "3.1", ("Proporción de aguas residuales domésticas e industriales tratadas de manera adecuada", "Proportion of domestic and industrial wastewater flows safely treated", "Proporção das águas residuais domésticas e industriais tratadas de forma segura"), PERCENT, "percentage", "increase", "per_period", "6.3.1"),
    ("3.1-d", "3.1", ("Planes de gestión de riesgo de desastres adoptados", "Disaster risk-management plans adopted", "Planos de gestão de riscos de desastres adotados"), ("planes", "plans", "planos"), "number", "increase", "cumulative", ""),
    ("3.1-e", "3.1", ("Hectáreas de ecosistemas y suelos protegidos o restaurados", "Hectares of ecosystems and soil protected or restored", "Hectares de ecossistemas e solos protegidos ou restaurados"), ("ha", "ha", "ha"), "number", "increase", "cumulative", ""),
]  # fmt: skip


def _languages(prefix, values):
    return dict(zip((f"{prefix}_es", f"{prefix}_en", f"{prefix}_pt_br"), values, strict=True))


def load_catalogue(apps, schema_editor):
    Axis = apps.get_model("action_axes", "Axis")
    Commitment = apps.get_model("commitments", "Commitment")
    FocusArea = apps.get_model("commitments", "FocusArea")
    Indicator = apps.get_model("commitments", "Indicator")
    by_code = {}
    for order, item in enumerate(COMMITMENTS, start=1):
        commitment, _created = Commitment.objects.update_or_create(
            axis=Axis.objects.get(number=item["axis"]),
            number=item["number"],
            defaults={**_languages("title", item["title"]), **_languages("text", item["text"]), "order": order},
        )
        by_code[f"{item['axis']}.{item['number']}"] = commitment
        for position, names in enumerate(item["focus_areas"], start=1):
            FocusArea.objects.update_or_create(
                commitment=commitment,
                name_es=names[0],
                defaults={**_languages("name", names), "order": position},
            )
    for position, (code, commitment, names, units, kind, direction, aggregation, sdg) in enumerate(INDICATORS):
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "commitment": by_code[commitment],
                **_languages("name", names),
                **_languages("unit", units),
                "kind": kind,
                "direction": direction,
                "aggregation": aggregation,
                "sdg_indicator": sdg,
                "order": position,
            },
        )


def unload_catalogue(apps, schema_editor):
    """Remove what this migration loaded, and nothing an admin added since."""
    Commitment = apps.get_model("commitments", "Commitment")
    apps.get_model("commitments", "Indicator").objects.filter(code__in=[row[0] for row in INDICATORS]).delete()
    for item in COMMITMENTS:
        seeded = Commitment.objects.filter(axis__number=item["axis"], number=item["number"])
        apps.get_model("commitments", "FocusArea").objects.filter(
            commitment__in=seeded, name_es__in=[names[0] for names in item["focus_areas"]]
        ).delete()
        seeded.filter(focus_areas__isnull=True, indicators__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("action_axes", "0002_load_seed_axes"),
        ("commitments", "0001_commitments_focus_areas_indicators"),
    ]

    operations = [migrations.RunPython(load_catalogue, unload_catalogue)]
