"""What the demo of the kinds of action says: the Escuela de Gobernanza Emocional's courses and
workshops (1.2), the participation mechanisms (1.3) and the public policies (2.1) of the demo
cities. kinds.demo writes it through the action's and this app's services.

Shares are of the people an action reached (or, for a policy, of the city's population); the
numbers are drawn from them by kinds.demo, with a random generator seeded by the city.
"""

from kinds.models import ParticipationMechanism, PublicPolicy, Training

COURSE, WORKSHOP, DIPLOMA, TALK = Training.Format
IN_PERSON, ONLINE, HYBRID = Training.Modality
Mechanism = ParticipationMechanism.Mechanism
Instrument, Stage = PublicPolicy.Instrument, PublicPolicy.Stage

FACILITATORS = [
    "Ana Lucía Ruiz (Escuela de Gobernanza Emocional)",
    "Luis Alberto Paz (Escuela de Gobernanza Emocional)",
    "Mónica Salazar, psicóloga organizacional",
    "Héctor Villanueva, facilitador de diálogo público",
    "Patricia Olmos (Universidad local)",
    "Gabriel Souza, consultor en innovación pública",
]

# The Escuela's offer (1.2). sessions: (fewest, most); days: how long the action runs; hours of
# each session; servants: share of public servants among the participants; certificates: share
# certified (None: none issued); scored: whether a test was taken before and after.
TRAININGS = [
    {
        "title": "Curso de Gobernanza Emocional para equipos municipales",
        "description": "Curso de la Escuela de Gobernanza Emocional para jefaturas y equipos de atención: "
        "autoconocimiento, escucha activa y liderazgo cercano a la ciudadanía.",
        "outcome": "Cada equipo acordó un compromiso de mejora en su trato con la ciudadanía.",
        "format": COURSE,
        "modality": HYBRID,
        "people": (30, 45),
        "sessions": (4, 6),
        "days": 28,
        "hours": "3",
        "servants": (0.85, 1.0),
        "certificates": (0.75, 0.95),
        "scored": True,
        "focus_areas": ["Formación en Gobernanza Emocional", "Liderazgo cercano a la ciudadanía"],
        "topics": [
            "Autoconocimiento y gestión de las emociones",
            "Escucha activa en la atención ciudadana",
            "Liderazgo cercano y equipos de confianza",
            "Conversaciones difíciles y conflicto",
            "Gobierno ágil: decidir con la ciudadanía",
            "Plan personal de mejora",
        ],
    },
    {
        "title": "Taller de escucha activa para personal de atención ciudadana",
        "description": "Taller práctico con casos reales de las ventanillas municipales y del centro de llamadas.",
        "outcome": "El protocolo de atención incorporó la escucha activa y una pregunta de satisfacción.",
        "format": WORKSHOP,
        "modality": IN_PERSON,
        "people": (18, 30),
        "sessions": (2, 3),
        "days": 10,
        "hours": "2.5",
        "servants": (0.9, 1.0),
        "certificates": None,
        "scored": True,
        "focus_areas": ["Formación en Gobernanza Emocional"],
        "topics": ["Qué escucha la ciudadanía", "Practicar con casos reales", "Acuerdos del equipo"],
    },
    {
        "title": "Diplomado en liderazgo público humano y creativo",
        "description": "Diplomado en línea con la universidad local para directivos y concejales, con tutorías "
        "y un proyecto de mejora por participante.",
        "outcome": "Doce proyectos de mejora presentados; tres se incorporan al plan operativo anual.",
        "format": DIPLOMA,
        "modality": ONLINE,
        "people": (25, 40),
        "sessions": (5, 6),
        "days": 35,
        "hours": "4",
        "servants": (0.7, 0.9),
        "certificates": (0.6, 0.85),
        "scored": True,
        "focus_areas": ["Formación en Gobernanza Emocional", "Liderazgo cercano a la ciudadanía"],
        "topics": [
            "Cultura de gobierno ágil, efectiva y humana",
            "Liderazgo creativo y sensible",
            "Diseño de servicios con la ciudadanía",
            "Comunicación pública empática",
            "Evaluación y mejora continua",
            "Presentación de proyectos",
        ],
    },
    {
        "title": "Taller de manejo emocional en emergencias para protección civil",
        "description": "Taller para brigadistas y personal de protección civil sobre contención emocional y "
        "comunicación con la población durante una emergencia.",
        "outcome": "Los protocolos de evacuación suman una guía de primera ayuda emocional.",
        "format": WORKSHOP,
        "modality": IN_PERSON,
        "people": (20, 35),
        "sessions": (2, 4),
        "days": 14,
        "hours": "3.5",
        "servants": (0.6, 0.8),
        "certificates": (0.8, 1.0),
        "scored": False,
        "focus_areas": ["Formación en Gobernanza Emocional"],
        "topics": [
            "Primera ayuda emocional",
            "Comunicar el riesgo sin alarmar",
            "Cuidar a quien cuida",
            "Simulacro y cierre",
        ],
    },
    {
        "title": "Conversatorios de la Escuela de Gobernanza Emocional en los barrios",
        "description": "Conversatorios abiertos en centros comunitarios para dar a conocer la Escuela y escuchar "
        "qué esperan los vecinos de su gobierno local.",
        "outcome": "Las propuestas recogidas alimentan el próximo curso de la Escuela.",
        "format": TALK,
        "modality": IN_PERSON,
        "people": (40, 90),
        "sessions": (2, 3),
        "days": 12,
        "hours": "2",
        "servants": (0.1, 0.3),
        "certificates": None,
        "scored": False,
        "focus_areas": ["Difusión de la Escuela", "Liderazgo cercano a la ciudadanía"],
        "topics": ["Un gobierno que escucha", "Qué esperamos de la Escuela", "Propuestas del barrio"],
    },
]

# The participation mechanisms (1.3): the accessibility measures each offered (none for some)
# and the decisions the participation changed.
MECHANISMS = [
    {
        "title": "Presupuesto participativo por barrios",
        "description": "Asambleas barriales y votación en línea y en urnas para decidir el destino de una parte "
        "del presupuesto de inversión.",
        "outcome": "Se eligieron catorce proyectos barriales para el próximo presupuesto.",
        "mechanism": Mechanism.PARTICIPATORY_BUDGETING,
        "people": (350, 700),
        "days": 21,
        "measures": ["easy_read", "step_free_venue", "online_option", "childcare"],
        "decisions": "Alumbrado y veredas accesibles en los tres barrios más votados\n"
        "Un centro de cuidado infantil en lugar de la ampliación del estacionamiento municipal",
        "focus_areas": ["Participación ciudadana", "Inclusión de grupos históricamente excluidos"],
    },
    {
        "title": "Cabildo abierto sobre movilidad y espacio público",
        "description": "Sesión abierta del concejo en un centro comunitario, con interpretación en lengua de señas.",
        "outcome": "Se registraron 38 propuestas vecinales; el concejo respondió cada una por escrito.",
        "mechanism": Mechanism.OPEN_COUNCIL,
        "people": (120, 250),
        "days": 0,
        "measures": ["sign_language", "step_free_venue"],
        "decisions": "Se redujo la velocidad máxima frente a las escuelas\nLa ciclovía se extiende hasta el mercado",
        "focus_areas": ["Participación ciudadana", "Accesibilidad"],
    },
    {
        "title": "Consulta pública del reglamento de comercio en la vía pública",
        "description": "Consulta en la plataforma municipal y mesas presenciales con organizaciones de comerciantes.",
        "outcome": "El reglamento final recoge once observaciones de la consulta.",
        "mechanism": Mechanism.PUBLIC_CONSULTATION,
        "people": (200, 450),
        "days": 30,
        "measures": ["online_option"],
        "decisions": "Se mantuvo el horario de la feria de los domingos\nLos permisos se tramitan también en línea",
        "focus_areas": ["Participación ciudadana"],
    },
    {
        "title": "Asamblea ciudadana por el clima",
        "description": "Cuarenta personas sorteadas entre la población deliberaron durante cuatro jornadas sobre "
        "la adaptación de la ciudad al cambio climático.",
        "outcome": "La asamblea entregó veinte recomendaciones al concejo municipal.",
        "mechanism": Mechanism.CITIZENS_ASSEMBLY,
        "people": (40, 60),
        "days": 24,
        "measures": [
            "sign_language",
            "easy_read",
            "step_free_venue",
            "online_option",
            "indigenous_interpretation",
            "childcare",
        ],
        "decisions": "El plan de arbolado prioriza los barrios más calurosos\n"
        "Se crea una red de refugios climáticos en bibliotecas y centros comunitarios",
        "focus_areas": ["Participación ciudadana", "Accesibilidad", "Inclusión de grupos históricamente excluidos"],
    },
    {
        "title": "Mesa de diálogo con vendedoras y vendedores del mercado",
        "description": "Tres reuniones en el mercado municipal para acordar la remodelación de los puestos.",
        "outcome": "Se acordó el calendario de obras por etapas, sin cerrar el mercado.",
        "mechanism": Mechanism.ROUNDTABLE,
        "people": (30, 70),
        "days": 14,
        "measures": [],
        "decisions": "Las obras se hacen por etapas y de noche",
        "focus_areas": ["Participación ciudadana"],
    },
    {
        "title": "Diálogo con pueblos originarios sobre el plan de desarrollo",
        "description": "Encuentros con organizaciones indígenas de la ciudad, en su lengua, sobre las prioridades "
        "del plan de desarrollo local.",
        "outcome": "El plan incluye un capítulo de interculturalidad redactado con las organizaciones.",
        "mechanism": Mechanism.ROUNDTABLE,
        "people": (60, 120),
        "days": 10,
        "measures": ["indigenous_interpretation", "step_free_venue"],
        "decisions": "Señalética bilingüe en los centros de salud municipales\n"
        "Un cupo de becas municipales para jóvenes indígenas",
        "focus_areas": ["Inclusión de grupos históricamente excluidos", "Participación ciudadana"],
        "indigenous": (0.55, 0.85),
    },
    {
        "title": "Plataforma digital de propuestas ciudadanas",
        "description": "Apertura de la plataforma en línea donde la ciudadanía propone y apoya ideas para la ciudad.",
        "outcome": "Las cinco propuestas con más apoyos pasaron a estudio de las áreas municipales.",
        "mechanism": Mechanism.DIGITAL_PLATFORM,
        "people": (500, 1200),
        "days": 45,
        "measures": [],
        "decisions": "Se abrió un punto de recarga de agua potable en la plaza central",
        "focus_areas": ["Participación ciudadana"],
    },
]

# The public policies (2.1). population: share of the city covered (always below the whole);
# adopted_after: days from the start of the work to its adoption (None: not adopted).
POLICIES = [
    {
        "title": "Ordenanza de compras públicas a la economía local",
        "description": "Ordenanza que reserva una parte de las compras municipales a emprendimientos y "
        "cooperativas de la ciudad.",
        "outcome": "El primer trimestre, un 18 % de las compras menores fue a proveedores locales.",
        "instrument": Instrument.ORDINANCE,
        "stage": Stage.IMPLEMENTING,
        "adopted_after": 35,
        "population": (0.02, 0.06),
        "focus_areas": ["Economía local"],
    },
    {
        "title": "Programa municipal de cuidados comunitarios",
        "description": "Programa de centros de día y cuidado a domicilio para personas mayores y con discapacidad, "
        "con formación a cuidadoras.",
        "outcome": "Tres centros de día abiertos y 120 cuidadoras formadas.",
        "instrument": Instrument.PROGRAMME,
        "stage": Stage.ADOPTED,
        "adopted_after": 20,
        "population": (0.01, 0.03),
        "focus_areas": ["Renovación de los sistemas sociales y de las ciudades", "Empoderamiento ciudadano"],
    },
    {
        "title": "Plan municipal de igualdad de género",
        "description": "Plan con metas de paridad en la administración municipal, prevención de la violencia y "
        "autonomía económica de las mujeres.",
        "outcome": "El plan fija metas a 2030 y un presupuesto etiquetado.",
        "instrument": Instrument.PLAN,
        "stage": Stage.ADOPTED,
        "adopted_after": 45,
        "population": (0.45, 0.52),
        "focus_areas": ["Empoderamiento ciudadano"],
    },
    {
        "title": "Programa de huertos urbanos y agroecología",
        "description": "Huertos en escuelas y terrenos baldíos, con compostaje y venta en la feria local.",
        "outcome": "Cuarenta huertos en marcha y una feria agroecológica mensual.",
        "instrument": Instrument.PROGRAMME,
        "stage": Stage.EVALUATED,
        "adopted_after": 15,
        "population": (0.005, 0.02),
        "focus_areas": ["Cuidado de los ecosistemas", "Economía local"],
    },
    {
        "title": "Ordenanza de protección de humedales y riberas urbanas",
        "description": "Ordenanza que declara zonas de protección los humedales y riberas de la ciudad y "
        "regula las obras cercanas.",
        "outcome": "El proyecto está en consulta con las juntas vecinales.",
        "instrument": Instrument.ORDINANCE,
        "stage": Stage.CONSULTATION,
        "adopted_after": None,
        "population": (0.2, 0.4),
        "focus_areas": ["Cuidado de los ecosistemas"],
    },
    {
        "title": "Decreto de accesibilidad universal en edificios municipales",
        "description": "Decreto con plazos para adecuar los edificios municipales: rampas, baños accesibles, "
        "señalética en braille y atención en lengua de señas.",
        "outcome": "Diagnóstico de 42 edificios terminado; el decreto está en redacción.",
        "instrument": Instrument.DECREE,
        "stage": Stage.DRAFTING,
        "adopted_after": None,
        "population": (0.05, 0.1),
        "focus_areas": ["Renovación de los sistemas sociales y de las ciudades"],
    },
]

# The local disaster-risk reduction strategy (Sendai; SDG 11.b.2 and 13.1.3) of two cities.
RISK_PLAN = {
    "title": "Plan local de gestión del riesgo de desastres",
    "description": "Plan con el mapa de amenazas de la ciudad (inundaciones, deslizamientos, incendios "
    "forestales), alerta temprana por barrios y rutas de evacuación.",
    "outcome": "Plan adoptado por el concejo, con simulacros anuales y un fondo de respuesta.",
    "instrument": Instrument.PLAN,
    "stage": Stage.IMPLEMENTING,
    "adopted_after": 40,
    "population": (0.85, 0.95),
    "focus_areas": ["Renovación de los sistemas sociales y de las ciudades", "Cuidado de los ecosistemas"],
    "disaster_risk_strategy": True,
}
RISK_PLAN_CITIES = ["Valparaíso", "Lima"]

# Shares of the people reached, by the country of the city: (low, high), or None when the demo
# leaves the group uncounted, as a city may.
INDIGENOUS = {"PE": (0.15, 0.3), "MX": (0.05, 0.15), "CO": (0.01, 0.04), "CL": (0.05, 0.12), "AR": (0.01, 0.03)}
AFRO = {"PE": (0.01, 0.04), "MX": (0.0, 0.02), "CO": (0.06, 0.14), "CR": (0.03, 0.08)}
DISABILITY = (0.03, 0.1)
YOUTH = (0.15, 0.35)

RETURN_COMMENTS = {
    "training": "Gracias. Añada la lista de asistencia firmada y cuántos certificados se entregaron, por favor.",
    "participation": "Falta el acta con las propuestas recibidas y cómo respondió el gobierno local.",
    "policy": "Adjunte el texto publicado en la gaceta oficial, por favor.",
}
APPROVE_COMMENT = "Aprobada. ¡Buen trabajo!"
PARTNERS = {
    "training": "Escuela de Gobernanza Emocional\nUniversidad local",
    "participation": "Juntas vecinales\nColectivo por la accesibilidad",
    "policy": "Concejo municipal\nMesa de la sociedad civil",
}
EVIDENCE_TITLES = {
    "training": ("lista-de-asistencia.pdf", "Lista de asistencia"),
    "participation": ("acta.pdf", "Acta de la sesión"),
    "policy": ("texto-oficial.pdf", "Texto de la norma"),
}
