"""The demo's funding pipeline beyond the money of the 1.4 actions (funding.demo writes it; the
funders, plans and the 1.4 actions' money are in demo_content)."""

# The pipeline beyond the money of the 1.4 actions. Each: the city's ambassador, the funder (a
# name of FUNDERS) or funder_name, title, amount and currency ("local": the city's), identified
# (days ago) and the moves after it [(stage, days ago)], the deadline (days from today), the
# amount awarded, the disbursements [(amount, days ago, note)], the milestone it would finance
# (its title in the city's plan) and the demo action (its title).
OPPORTUNITIES = [
    {
        "city": "emb.cdmx", "funder": "C40 Cities Finance Facility",
        "title": "Asistencia técnica para corredores de trolebús eléctrico", "amount": "750000", "currency": "USD",
        "identified": 20, "moves": [], "deadline": 14,
        "milestone": "Dos corredores de trolebús eléctrico y recarga del acuífero oriente",
        "notes": "Convocatoria abierta a ciudades de la red C40; pide la nota conceptual y el aval de finanzas.",
    },
    {
        "city": "emb.cdmx", "funder": "Nacional Financiera",
        "title": "Línea verde para eficiencia energética en edificios públicos", "amount": "45000000",
        "currency": "local", "identified": 210, "moves": [("preparing", 190), ("submitted", 160), ("awarded", 95)],
        "deadline": -158, "awarded": "40000000",
        "disbursements": [("15000000", 80, "Primer tramo"), ("10000000", 22, "Segundo tramo")],
        "milestone": "Auditorías energéticas en 50 edificios públicos",
        "action": "Taller de Gobernanza Emocional para el equipo municipal",
    },
    {
        "city": "emb.monterrey", "funder": "Banco Interamericano de Desarrollo",
        "title": "Programa de resiliencia hídrica metropolitana", "amount": "2500000", "currency": "USD",
        "identified": 125, "moves": [("preparing", 110), ("submitted", 40)], "deadline": -38,
        "milestone": "Reúso de 1 m³/s de agua tratada en la industria",
        "action": "Cosecha de agua de lluvia en escuelas públicas",
    },
    {
        "city": "emb.monterrey", "funder": "Cooperación alemana (GIZ)",
        "title": "Cooperación técnica para el inventario de emisiones industriales", "amount": "180000",
        "currency": "EUR", "identified": 30, "moves": [("preparing", 18)], "deadline": 9,
        "milestone": "Plan de arbolado urbano con 50 000 árboles",
    },
    {
        "city": "emb.bogota", "funder": "Findeter",
        "title": "Tasa compensada para la renovación de buses eléctricos", "amount": "18000000000",
        "currency": "local", "identified": 40, "moves": [("preparing", 25)], "deadline": 21,
        "milestone": "Estructuración financiera de 500 buses eléctricos",
    },
    {
        "city": "emb.bogota", "funder": "CAF, Banco de Desarrollo de América Latina y el Caribe",
        "title": "Eficiencia energética en el alumbrado público", "amount": "1200000", "currency": "USD",
        "identified": 230, "moves": [("preparing", 215), ("submitted", 180), ("rejected", 62)], "deadline": -178,
        "notes": "La CAF pidió presentar el proyecto junto con el de buses en la próxima ronda.",
    },
    {
        "city": "emb.medellin", "funder": "Banco Mundial",
        "title": "Gestión del riesgo de inundaciones en las quebradas", "amount": "3000000", "currency": "USD",
        "identified": 170, "moves": [("preparing", 150), ("withdrawn", 100)], "deadline": -95,
        "milestone": "Tanques de tormenta en las quebradas más críticas",
        "notes": "Retirada: el banco pidió una contrapartida que el presupuesto de este año no cubre.",
    },
    {
        "city": "emb.medellin", "funder": "Unión Europea, Euroclima",
        "title": "Movilidad urbana sostenible: corredores verdes conectados", "amount": "400000", "currency": "EUR",
        "identified": 15, "moves": [], "deadline": 5,
        "milestone": "Diez corredores verdes nuevos diseñados",
        "action": "Restauración de la ribera del río con brigadas vecinales",
    },
    {
        "city": "emb.lima", "funder": "CAF, Banco de Desarrollo de América Latina y el Caribe",
        "title": "Techos verdes y sombra en los mercados municipales", "amount": "2800000", "currency": "local",
        "identified": 35, "moves": [("preparing", 21)], "deadline": 3,
        "milestone": "Techos verdes en diez mercados",
        "action": "Mercado de productoras y productores locales",
        "notes": "Falta la carta de compromiso de los mercados; el resto de la postulación está listo.",
    },
    {
        "city": "emb.lima", "funder": "Cooperación española (AECID)",
        "title": "Gestión de residuos orgánicos con las recicladoras", "amount": "250000", "currency": "EUR",
        "identified": 185, "moves": [("preparing", 170), ("submitted", 140), ("awarded", 52)], "deadline": -138,
        "awarded": "220000", "disbursements": [("100000", 30, "Anticipo")],
        "milestone": "Planta piloto de compostaje con recicladoras",
    },
    {
        "city": "emb.valparaiso", "funder": "Banco Interamericano de Desarrollo",
        "title": "Estabilización de laderas y drenaje en los cerros", "amount": "900000", "currency": "USD",
        "identified": 12, "moves": [], "deadline": 2,
        "milestone": "Catastro de laderas inestables",
        "action": "Restauración de la ribera del río con brigadas vecinales",
    },
    {
        "city": "emb.valparaiso", "funder": "Fundación Bloomberg",
        "title": "Desafío de innovación urbana: brigadas vecinales contra incendios", "amount": "100000",
        "currency": "USD", "identified": 150, "moves": [("submitted", 120), ("rejected", 70)], "deadline": -118,
    },
    {
        "city": "emb.rosario", "funder": "Banco Mundial",
        "title": "Parques lineales inundables en la costa del Paraná", "amount": "1500000", "currency": "USD",
        "identified": 28, "moves": [("preparing", 14)], "deadline": 30,
        "milestone": "Primer parque lineal inundable en la costa norte",
    },
    {
        "city": "emb.rosario", "funder": "Cooperación alemana (GIZ)",
        "title": "Eficiencia energética en las terminales del puerto", "amount": "120000", "currency": "EUR",
        "identified": 90, "moves": [("withdrawn", 60)], "deadline": -55,
    },
    {
        "city": "emb.sanjose", "funder": "C40 Cities Finance Facility",
        "title": "Preparación del piloto de buses eléctricos", "amount": "600000", "currency": "USD",
        "identified": 80, "moves": [("preparing", 70), ("submitted", 35)], "deadline": -33,
        "milestone": "Piloto de buses eléctricos en dos rutas",
    },
    {
        "city": "emb.sanjose", "funder": "Unión Europea, Euroclima",
        "title": "Gestión integral de las cuencas urbanas", "amount": "300000", "currency": "EUR",
        "identified": 10, "moves": [], "deadline": 12,
        "milestone": "Humedales artificiales en la cuenca del Torres",
        "action": "Cosecha de agua de lluvia en escuelas públicas",
    },
]  # fmt: skip
