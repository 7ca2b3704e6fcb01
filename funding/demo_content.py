"""What the demo of commitment 1.4 says: the funders of the catalogue, each demo city's transition
plan and the opportunities of its pipeline. funding.demo writes it through funding.services.

Days are counted back from the demo's today ("days ago") or forward from it (deadlines, due
dates), so the demo reads the same whenever it is loaded: a deadline 3 days away is 3 days away
on the day the demo is loaded.
"""

from funding.models import Funder

BANK, AGENCY, CLIMATE = Funder.Kind.DEVELOPMENT_BANK, Funder.Kind.COOPERATION_AGENCY, Funder.Kind.CLIMATE_FUND
FOUNDATION, NATIONAL = Funder.Kind.FOUNDATION, Funder.Kind.NATIONAL_PROGRAMME

# name, kind, country (empty: regional or international), website. The benchmark seed
# (bench/seed/money.py) writes the same catalogue.
FUNDERS = [
    ("Banco Interamericano de Desarrollo", BANK, "", "https://www.iadb.org/es"),
    ("CAF, Banco de Desarrollo de América Latina y el Caribe", BANK, "", "https://www.caf.com/es/"),
    ("Banco Mundial", BANK, "", "https://www.bancomundial.org/es/home"),
    ("Fondo Verde para el Clima", CLIMATE, "", "https://www.greenclimate.fund/"),
    ("Cooperación alemana (GIZ)", AGENCY, "DE", "https://www.giz.de/"),
    ("Cooperación española (AECID)", AGENCY, "ES", "https://www.aecid.es/"),
    ("Unión Europea, Euroclima", AGENCY, "", "https://www.euroclima.org/"),
    ("Fundación Bloomberg", FOUNDATION, "US", "https://www.bloomberg.org/"),
    ("C40 Cities Finance Facility", CLIMATE, "", "https://www.c40cff.org/"),
    ("Findeter", NATIONAL, "CO", "https://www.findeter.gov.co/"),
    ("BNDES Fundo Clima", NATIONAL, "BR", "https://www.bndes.gov.br/"),
    ("Nacional Financiera", NATIONAL, "MX", "https://www.nafin.com/"),
]

# The money the demo actions of commitment 1.4 sought (each city has one such action, from
# commitments.demo's TEMPLATES): an application to an international fund, in dollars, and
# national co-financing, in the city's currency, awarded.
FUND_ACTION = "Solicitud al fondo internacional para la transición ecológica"
INTERNATIONAL_FUND = {
    "funder": "Fondo Verde para el Clima",
    "title": "Solicitud al fondo internacional para la transición ecológica",
    "notes": "Nota conceptual y diagnóstico presentados; pasó a la segunda fase de evaluación.",
}
NATIONAL_FUND = {
    "funder_name": "Gobierno nacional",
    "title": "Cofinanciamiento nacional de la transición ecológica",
    "notes": "Contrapartida nacional de la solicitud al fondo internacional.",
}

# What the ambassador wrote on each move of an opportunity.
MOVE_COMMENTS = {
    "preparing": "Empezamos a preparar la postulación con el equipo de finanzas.",
    "submitted": "Postulación enviada dentro del plazo.",
    "awarded": "Recibimos la resolución de otorgamiento.",
    "rejected": "La convocatoria priorizó otros proyectos; pedimos la devolución del comité.",
    "withdrawn": "La retiramos: no llegamos con la contrapartida a tiempo.",
}
APPROVE_COMMENT = "Aprobado. El plan es claro y cada hito tiene responsable."
RETURN_COMMENT = "Gracias. Indique quién es responsable de cada hito y a qué metas de la ciudad sirve."
REVISION_REASON = "El préstamo del banco de desarrollo permite adelantar los corredores verdes: se ajustan los hitos."

# Each milestone: horizon, title, due (days from today: negative is past), responsible,
# commitments, the city's target it serves (by indicator code; commitments.demo sets them) or
# None, status.
# Each plan: diagnosis and its age, priorities, commitments, milestones, and its review:
# "timeline" says how many days ago each step was taken.
PLANS = {
    "emb.cdmx": {
        "diagnosis_summary": (
            "El transporte genera cerca del 45 % de las emisiones de la ciudad y los días de calor extremo se "
            "duplicaron en diez años. El acuífero se sobreexplota: se extrae el doble de lo que se recarga. "
            "La ciudad tiene capacidad técnica, pero le falta una cartera de proyectos lista para financiarse."
        ),
        "strategy": (
            "Electromovilidad en el transporte público\nEficiencia energética en edificios públicos\n"
            "Captación de lluvia y recarga del acuífero"
        ),
        "commitments": ["1.4", "3.1"],
        "milestones": [
            (
                "short",
                "Inventario de emisiones 2025 publicado",
                -80,
                "Secretaría del Medio Ambiente",
                ["1.4"],
                None,
                "done",
            ),
            (
                "short",
                "Cartera de proyectos bancables para la banca de desarrollo",
                -25,
                "Secretaría de Administración y Finanzas",
                ["1.4"],
                None,
                "in_progress",
            ),
            (
                "short",
                "Auditorías energéticas en 50 edificios públicos",
                140,
                "Agencia de Energía de la ciudad",
                ["1.4"],
                None,
                "planned",
            ),
            (
                "medium",
                "Captación de lluvia en 300 escuelas y mercados",
                700,
                "Sistema de Aguas de la ciudad",
                ["3.1"],
                "3.1-a",
                "planned",
            ),
            (
                "long",
                "Dos corredores de trolebús eléctrico y recarga del acuífero oriente",
                2900,
                "Servicio de Transportes Eléctricos",
                ["1.4", "3.1"],
                "3.1-b",
                "planned",
            ),
        ],
        "timeline": {"created": 170, "submitted": 150, "approved": 143},
    },
    "emb.monterrey": {
        "diagnosis_summary": (
            "La industria y el transporte de carga concentran las emisiones; la sequía de 2022 mostró que la zona "
            "metropolitana depende de tres presas. La calidad del aire rebasa la norma un día de cada tres."
        ),
        "strategy": "Seguridad hídrica metropolitana\nTransporte de carga limpio\nArbolado urbano contra el calor",
        "commitments": ["1.4", "3.1"],
        "milestones": [
            (
                "short",
                "Red de monitoreo de calidad del aire ampliada a 20 estaciones",
                -60,
                "Secretaría de Medio Ambiente",
                ["1.4"],
                None,
                "done",
            ),
            (
                "short",
                "Proyecto ejecutivo de reúso de aguas tratadas en la industria",
                -12,
                "Servicios de Agua y Drenaje",
                ["3.1"],
                None,
                "planned",
            ),
            (
                "short",
                "Plan de arbolado urbano con 50 000 árboles",
                200,
                "Dirección de Parques y Jardines",
                ["1.4"],
                None,
                "planned",
            ),
            (
                "medium",
                "Reúso de 1 m³/s de agua tratada en la industria",
                900,
                "Servicios de Agua y Drenaje",
                ["3.1"],
                "3.1-a",
                "planned",
            ),
            (
                "long",
                "Abasto de agua potable seguro para toda la zona metropolitana",
                3300,
                "Servicios de Agua y Drenaje",
                ["3.1"],
                "3.1-b",
                "planned",
            ),
        ],
        "timeline": {"created": 130, "submitted": 110, "approved": 101},
    },
    "emb.bogota": {
        "diagnosis_summary": (
            "La flota de buses es la mayor fuente de material particulado; el río Bogotá recibe aguas sin tratar "
            "de un tercio de la ciudad. Los cerros orientales pierden cobertura vegetal por la expansión informal."
        ),
        "strategy": "Buses eléctricos en el sistema integrado\nSaneamiento del río Bogotá\nProtección de los cerros",
        "commitments": ["1.4", "3.1", "2.1"],
        "milestones": [
            (
                "short",
                "Estructuración financiera de 500 buses eléctricos",
                -45,
                "Secretaría de Movilidad",
                ["1.4"],
                None,
                "done",
            ),
            (
                "short",
                "Restauración de 200 ha en los cerros orientales",
                -18,
                "Secretaría de Ambiente",
                ["3.1"],
                None,
                "in_progress",
            ),
            (
                "short",
                "Empleo verde: 300 personas en brigadas de restauración",
                160,
                "Secretaría de Desarrollo Económico",
                ["2.1"],
                None,
                "planned",
            ),
            (
                "medium",
                "Almacenamiento de lluvia en 40 colegios distritales",
                800,
                "Empresa de Acueducto",
                ["3.1"],
                "3.1-a",
                "planned",
            ),
            (
                "long",
                "Tratamiento de todas las aguas residuales de la ciudad",
                3100,
                "Empresa de Acueducto",
                ["3.1"],
                "3.1-b",
                "planned",
            ),
        ],
        "timeline": {"created": 200, "submitted": 186, "returned": 181, "resubmitted": 172, "approved": 166},
    },
    "emb.medellin": {
        "diagnosis_summary": (
            "El valle encierra la contaminación: en marzo y octubre hay episodios críticos. Las quebradas se "
            "desbordan cada temporada de lluvias y los corredores verdes bajaron dos grados la temperatura local."
        ),
        "strategy": "Corredores verdes y movilidad activa\nGestión del riesgo en quebradas\nTransporte eléctrico",
        "commitments": ["1.4", "3.1"],
        "milestones": [
            (
                "short",
                "Diez corredores verdes nuevos diseñados",
                -90,
                "Secretaría de Infraestructura",
                ["1.4"],
                None,
                "done",
            ),
            (
                "short",
                "Sistema de alerta temprana en 15 quebradas",
                -30,
                "Departamento de Gestión del Riesgo",
                ["3.1"],
                None,
                "in_progress",
            ),
            (
                "short",
                "Flota municipal de recolección eléctrica: licitación",
                120,
                "Empresas Varias",
                ["1.4"],
                None,
                "planned",
            ),
            (
                "medium",
                "Tanques de tormenta en las quebradas más críticas",
                750,
                "Empresas Públicas",
                ["3.1"],
                "3.1-a",
                "planned",
            ),
            (
                "long",
                "Cero episodios críticos de calidad del aire",
                3000,
                "Área Metropolitana",
                ["1.4"],
                "3.1-b",
                "planned",
            ),
        ],
        "timeline": {"created": 240, "submitted": 226, "approved": 219},
        # Version 2, a draft: the revision brings the electric fleet forward and adds a milestone.
        "revision": {
            "created": 12,
            "changes": {"Flota municipal de recolección eléctrica: licitación": {"due": 60}},
            "add": [
                (
                    "medium",
                    "Cinco corredores verdes más con el préstamo del banco",
                    500,
                    "Secretaría de Infraestructura",
                    ["1.4"],
                    None,
                    "planned",
                ),
            ],
        },
    },
    "emb.lima": {
        "diagnosis_summary": (
            "Lima es una ciudad desierto: depende del río Rímac, que recibe el deshielo de glaciares que "
            "retroceden. El parque automotor es antiguo y los mercados generan la mitad de los residuos orgánicos."
        ),
        "strategy": "Seguridad hídrica y reúso\nValorización de residuos orgánicos\nSombra y techos verdes",
        "commitments": ["1.4", "3.1", "2.1"],
        "milestones": [
            (
                "short",
                "Diagnóstico de residuos de los mercados municipales",
                -75,
                "Gerencia de Gestión Ambiental",
                ["1.4"],
                None,
                "done",
            ),
            (
                "short",
                "Planta piloto de compostaje con recicladoras",
                -20,
                "Gerencia de Gestión Ambiental",
                ["2.1"],
                None,
                "in_progress",
            ),
            (
                "short",
                "Techos verdes en diez mercados",
                110,
                "Gerencia de Desarrollo Económico",
                ["1.4"],
                None,
                "planned",
            ),
            (
                "medium",
                "Reúso de aguas grises en parques de cinco distritos",
                720,
                "Servicio de Parques",
                ["3.1"],
                "3.1-a",
                "planned",
            ),
            (
                "long",
                "Agua segura para los asentamientos de las laderas",
                3200,
                "Gerencia de Desarrollo Urbano",
                ["3.1"],
                "3.1-b",
                "planned",
            ),
        ],
        "timeline": {"created": 150, "submitted": 131, "approved": 124},
    },
    "emb.valparaiso": {
        "diagnosis_summary": (
            "Los cerros concentran el riesgo: incendios de interfaz cada verano y quebradas sin drenaje. El puerto "
            "es la mayor fuente de emisiones; la ciudad quiere un puerto eléctrico en diez años."
        ),
        "strategy": "Prevención de incendios en los cerros\nDrenaje y laderas estables\nPuerto de bajas emisiones",
        "commitments": ["1.4", "3.1"],
        "milestones": [
            (
                "short",
                "Cortafuegos y limpieza de quebradas en 12 cerros",
                -40,
                "Dirección de Gestión del Riesgo",
                ["3.1"],
                None,
                "done",
            ),
            (
                "short",
                "Catastro de laderas inestables",
                -8,
                "Secretaría Comunal de Planificación",
                ["3.1"],
                None,
                "planned",
            ),
            (
                "short",
                "Hoja de ruta del puerto eléctrico con la empresa portuaria",
                180,
                "Dirección de Medio Ambiente",
                ["1.4"],
                None,
                "planned",
            ),
            (
                "medium",
                "Estanques de agua lluvia para brigadas forestales",
                650,
                "Dirección de Gestión del Riesgo",
                ["3.1"],
                "3.1-a",
                "planned",
            ),
            ("long", "Puerto de bajas emisiones", 2800, "Empresa Portuaria y municipio", ["1.4"], "3.1-b", "planned"),
        ],
        "timeline": {"created": 100, "submitted": 84, "approved": 78},
    },
    "emb.rosario": {
        "diagnosis_summary": (
            "La costa del Paraná es el pulmón de la ciudad y su mayor riesgo: la bajante histórica y las crecidas "
            "alternan. Los humedales del delta se queman cada invierno y el humo cubre la ciudad."
        ),
        "strategy": "Parques costeros inundables\nProtección de humedales\nEficiencia energética en el puerto",
        "commitments": ["1.4", "3.1"],
        "milestones": [
            (
                "short",
                "Mapa de riesgo hídrico de la costa actualizado",
                -50,
                "Secretaría de Ambiente",
                ["3.1"],
                None,
                "done",
            ),
            ("short", "Acuerdo regional de protección de humedales", 90, "Intendencia", ["1.4"], None, "planned"),
            (
                "medium",
                "Primer parque lineal inundable en la costa norte",
                680,
                "Secretaría de Obras Públicas",
                ["3.1"],
                "3.1-a",
                "planned",
            ),
            (
                "long",
                "Costa del Paraná recuperada de punta a punta",
                3000,
                "Secretaría de Planeamiento",
                ["3.1"],
                "3.1-b",
                "planned",
            ),
        ],
        # Sent ten days ago: it waits for the coordination's review.
        "timeline": {"created": 45, "submitted": 10},
    },
    "emb.sanjose": {
        "diagnosis_summary": (
            "Los ríos María Aguilar y Torres reciben aguas residuales y residuos; el tránsito de paso produce la "
            "mayor parte de las emisiones. El país es carbono neutral en electricidad: la electrificación rinde."
        ),
        "strategy": "Ríos limpios\nElectrificación del transporte público\nMovilidad activa en el centro",
        "commitments": ["1.4", "3.1", "2.1"],
        "milestones": [
            (
                "short",
                "Limpieza y monitoreo del río María Aguilar",
                -100,
                "Dirección de Gestión Ambiental",
                ["3.1"],
                None,
                "done",
            ),
            (
                "short",
                "Red de ciclovías del centro: diseño",
                -15,
                "Dirección de Ingeniería",
                ["1.4"],
                None,
                "in_progress",
            ),
            (
                "short",
                "Piloto de buses eléctricos en dos rutas",
                150,
                "Dirección de Movilidad",
                ["1.4"],
                None,
                "planned",
            ),
            (
                "medium",
                "Humedales artificiales en la cuenca del Torres",
                820,
                "Dirección de Gestión Ambiental",
                ["3.1"],
                "3.1-a",
                "planned",
            ),
            (
                "long",
                "Saneamiento completo de los ríos urbanos",
                3400,
                "Municipalidad y AyA",
                ["3.1"],
                "3.1-b",
                "planned",
            ),
        ],
        "timeline": {"created": 120, "submitted": 104, "approved": 99},
    },
}
