"""What the generator needs of the catalogue: the active commitments with their indicators and
focus areas, and the words their actions' titles and descriptions are made of."""

from commitments.models import Commitment, FocusArea, Indicator

from . import SeedRefused

ACTIVITIES = [
    "Taller de", "Jornada de", "Foro sobre", "Mesa de trabajo sobre", "Campaña de", "Encuentro de",
    "Capacitación en", "Diagnóstico de", "Programa de", "Feria de", "Conversatorio sobre", "Recorrido de",
]  # fmt: skip
# Topics by commitment code; a commitment an admin added later uses the generic ones.
TOPICS = {
    "1.1": ["buenas prácticas entre ciudades", "innovación social", "innovación ambiental",
            "cooperación con ciudades hermanas", "transferencia de experiencias"],
    "1.2": ["gobernanza emocional", "liderazgo cercano", "escucha activa", "bienestar del equipo municipal",
            "comunicación empática"],
    "1.3": ["participación ciudadana", "presupuesto participativo", "accesibilidad universal",
            "inclusión de personas mayores", "consulta a pueblos indígenas"],
    "1.4": ["financiamiento climático", "fondos internacionales", "transición ecológica",
            "inversión verde", "proyectos para la banca de desarrollo"],
    "2.1": ["economía local", "emprendimiento de mujeres", "empleo juvenil", "comercio justo",
            "inclusión financiera"],
    "3.1": ["cosecha de agua de lluvia", "saneamiento del río", "reúso de aguas grises", "protección de acuíferos",
            "huertos urbanos", "riesgo de inundaciones"],
}  # fmt: skip
GENERIC_TOPICS = ["desarrollo sostenible", "agenda 2030", "cooperación vecinal"]
AUDIENCES = [
    "con vecinas y vecinos", "en escuelas públicas", "con jóvenes del barrio", "en el mercado municipal",
    "con organizaciones de la sociedad civil", "con el equipo municipal", "en la zona norte", "en la zona sur",
    "en el centro histórico", "con universidades locales", "en comunidades rurales", "",
]  # fmt: skip
DETAILS = [
    "Se trabajó en grupos y se acordó un plan de seguimiento.",
    "Participaron autoridades locales y organizaciones de base.",
    "Se presentaron los resultados del diagnóstico y se recogieron propuestas.",
    "La actividad se transmitió en vivo por las redes del municipio.",
    "Se entregaron materiales y se registró la asistencia.",
    "Hubo intérprete de lengua de señas y espacio de cuidado infantil.",
]
# Typical values of the starter indicators (low, high); others fall back on their kind.
INDICATOR_RANGES = {
    "1.1-a": (1, 3), "1.1-b": (1, 5), "1.2-a": (10, 120), "1.2-b": (1, 6), "1.3-a": (1, 4), "1.3-b": (20, 600),
    "1.4-a": (5000, 500000), "1.4-b": (1, 3), "2.1-a": (1, 2), "2.1-b": (20, 1500), "2.1-c": (1, 40),
    "3.1-a": (10, 5000), "3.1-d": (1, 2), "3.1-e": (1, 25),
}  # fmt: skip


class _Commitment:
    """What the generator needs of an active commitment, read once; its texts precombined."""

    def __init__(self, commitment, indicators, areas, rng):
        code = f"{commitment.axis.number}.{commitment.number}"
        self.id = commitment.pk
        self.code = code
        topics = TOPICS.get(code, GENERIC_TOPICS)
        self.titles = [
            f"{activity} {topic} {audience}".strip()
            for activity in ACTIVITIES
            for topic in topics
            for audience in AUDIENCES
        ]
        self.descriptions = [
            f"{activity} {topic} {audience}".strip() + f". {detail}"
            for activity in ACTIVITIES
            for topic in topics
            for audience in AUDIENCES[:4]
            for detail in DETAILS
        ]
        rng.shuffle(self.descriptions)
        self.indicators = [
            (
                indicator.pk,
                indicator.kind,
                *INDICATOR_RANGES.get(indicator.code, (1, 100)),
                indicator.aggregation == Indicator.Aggregation.CUMULATIVE,
            )
            for indicator in indicators
        ]
        self.areas = [area.pk for area in areas]
        self.opportunity_share = 0.45 if code == "1.4" else 0.03  # of its actions have an opportunity


def active_commitments(rng):
    commitments = list(Commitment.objects.active().with_axis().order_by("pk"))
    if not commitments:
        raise SeedRefused("There is no active commitment: migrate first (the catalogue comes with the migrations).")
    indicators = list(Indicator.objects.filter(active=True, commitment__in=commitments).order_by("pk"))
    areas = list(FocusArea.objects.filter(active=True, commitment__in=commitments).order_by("pk"))
    return [
        _Commitment(
            commitment,
            [indicator for indicator in indicators if indicator.commitment_id == commitment.pk],
            [area for area in areas if area.commitment_id == commitment.pk],
            rng,
        )
        for commitment in commitments
    ]
