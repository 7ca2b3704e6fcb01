"""What the demo's hazard log tells, city by city (hazards.demo writes it).

EVENTS: by demo ambassador, the city's events, oldest first: hazard, title, days before the
demo's today it started, how many days it lasted (None: it goes on), affected area, people
affected, deaths, missing, direct economic loss in US dollars (None: not known; hazards.demo
records it in the city's currency) and what happened.

RESPONSES: by demo ambassador, the city's actions of commitment 3.1 answering those events:
the event (its index in EVENTS), phase, the status the action reaches, days after the event
started that the action started, days it lasted, title, what was done, what came of it and the
people it reached.
"""

EVENTS = {
    "emb.cdmx": [
        ("flood", "Inundación en el oriente por tormenta atípica", 165, 2, "Iztapalapa y Tláhuac",
         4800, 0, 0, 2_100_000, "Una tormenta de 90 mm en tres horas desbordó el drenaje y anegó 40 colonias."),
        ("heatwave", "Onda de calor de primavera", 118, 9, "Toda la ciudad",
         950, 2, 0, None, "Nueve días por encima de 33 °C; golpes de calor en personas mayores y trabajadores."),
        ("landslide", "Deslave en las barrancas de Álvaro Obregón", 46, 1, "Barranca de Tarango",
         130, 0, 1, 180_000, "La ladera cedió tras varios días de lluvia; se desalojaron 32 viviendas."),
    ],
    "emb.monterrey": [
        ("drought", "Sequía y cortes de agua en la zona metropolitana", 200, 95, "Toda la zona metropolitana",
         1_200_000, 0, 0, 8_500_000, "Las presas bajaron del 10 %; tandeos de agua durante tres meses."),
        ("flood", "Crecida del río Santa Catarina por tormenta tropical", 92, 3, "Cauce y colonias ribereñas",
         6200, 1, 0, 3_400_000, "La tormenta tropical dejó 250 mm; el río arrastró vehículos y cortó dos puentes."),
        ("heatwave", "Ola de calor extremo", 38, 6, "Toda la ciudad",
         600, 0, 0, None, "Máximas de 42 °C; se abrieron centros de hidratación."),
    ],
    "emb.bogota": [
        ("landslide", "Remoción en masa en Ciudad Bolívar", 150, 2, "Barrios altos de Ciudad Bolívar",
         420, 0, 0, 650_000, "Un movimiento en masa dañó 60 viviendas; se reubicó temporalmente a 85 familias."),
        ("flood", "Desbordamiento del río Tunjuelo", 78, 4, "Bosa y Kennedy",
         3100, 0, 0, 1_300_000, "El Tunjuelo superó su cota tras lluvias en la cuenca alta."),
        ("spill", "Derrame de combustible en el río Bogotá", 27, 2, "Tramo entre Fontibón y Engativá",
         0, 0, 0, 240_000, "Una fuga en una estación de servicio llegó al río; se contuvo con barreras."),
    ],
    "emb.medellin": [
        ("landslide", "Movimiento en masa en la comuna 8", 172, 1, "Villa Hermosa, ladera oriental",
         260, 2, 1, 420_000, "Lluvias persistentes saturaron la ladera; 40 viviendas evacuadas."),
        ("flood", "Creciente súbita de la quebrada La Iguaná", 68, 1, "Barrios de Robledo",
         900, 0, 0, 300_000, "La quebrada creció en minutos y arrastró escombros a las viviendas de la orilla."),
    ],
    "emb.lima": [
        ("landslide", "Huaicos en las quebradas de Chosica", 158, 3, "Chosica y Lurigancho",
         5400, 1, 0, 4_200_000, "Las lluvias activaron seis quebradas; los huaicos cortaron la Carretera Central."),
        ("heatwave", "Ola de calor en la costa", 104, 12, "Toda la ciudad",
         1100, 0, 0, None, "Temperaturas nocturnas por encima de 25 °C durante casi dos semanas."),
        ("spill", "Derrame de hidrocarburos en playas del norte", 52, 5, "Playas de Ventanilla y Ancón",
         320, 0, 0, 2_600_000, "El crudo llegó a cuatro playas; pescadores artesanales sin trabajo durante semanas."),
    ],
    "emb.valparaiso": [
        ("heatwave", "Ola de calor con alto riesgo de incendios", 132, 5, "Cerros altos e interfaz urbano-forestal",
         700, 0, 0, None, "Viento y 35 °C; se activaron alertas y cortafuegos preventivos."),
        ("landslide", "Deslizamiento en la quebrada del cerro Cordillera", 84, 1, "Cerro Cordillera",
         150, 0, 0, 210_000, "Un talud cedió sobre una calle y dos viviendas."),
        ("flood", "Marejadas e inundación del borde costero", 24, 2, "Avenida Altamirano y caletas",
         420, 0, 0, 380_000, "Marejadas anormales inundaron la costanera y dañaron caletas de pescadores."),
    ],
    "emb.rosario": [
        ("drought", "Bajante histórica del Paraná", 196, 120, "Costa central y toma de agua",
         0, 0, 0, 5_000_000, "El río bajó a su nivel más bajo en décadas; peligró la toma de agua potable."),
        ("heatwave", "Ola de calor de verano", 98, 8, "Toda la ciudad",
         850, 1, 0, None, "Ocho días por encima de 38 °C; cortes de luz en los barrios del oeste."),
        ("flood", "Anegamientos por lluvia intensa", 18, 1, "Barrios del oeste y del sur",
         2100, 0, 0, 900_000, "Cayeron 150 mm en una noche; calles y viviendas anegadas."),
    ],
    "emb.sanjose": [
        ("flood", "Inundación del río María Aguilar", 141, 2, "Barrios del sur",
         1800, 0, 0, 760_000, "El río se salió de su cauce tras un temporal del Pacífico."),
        ("landslide", "Deslizamiento en Desamparados", 73, 1, "Laderas de Desamparados",
         220, 1, 0, 340_000, "Un deslizamiento sepultó una calle; 30 familias evacuadas."),
        ("spill", "Derrame de aceite en el río Torres", 33, 3, "Cauce del río Torres",
         0, 0, 0, 90_000, "Aceite industrial vertido al río; mortandad de peces aguas abajo."),
    ],
}  # fmt: skip

RESPONSES = {
    "emb.cdmx": [
        (0, "respond", "approved", 1, 6, "Atención a las familias inundadas del oriente",
         "Brigadas de limpieza, entrega de insumos y censo de daños casa por casa.",
         "1 200 viviendas atendidas en seis días.", 3600),
        (2, "prepare", "submitted", 5, 20, "Alerta temprana por lluvia en las barrancas",
         "Pluviómetros comunitarios y rutas de evacuación señalizadas en tres barrancas.",
         "Tres comités vecinales capacitados para dar la alerta.", 240),
    ],
    "emb.monterrey": [
        (0, "respond", "approved", 30, 40, "Reparto de agua y reparación de fugas durante la sequía",
         "Pipas de agua a colonias sin servicio y cuadrillas de reparación de fugas.",
         "Se recuperaron 180 litros por segundo de fugas.", 25000),
        (1, "recover", "approved", 10, 30, "Limpieza y reforestación del cauce del Santa Catarina",
         "Retiro de escombros y plantación de especies nativas en la ribera.",
         "4 km de cauce limpios y 2 000 árboles plantados.", 500),
    ],
    "emb.bogota": [
        (0, "recover", "approved", 7, 30, "Reasentamiento de familias de Ciudad Bolívar",
         "Subsidio de arriendo temporal y acompañamiento para el reasentamiento definitivo.",
         "85 familias con vivienda temporal segura.", 310),
        (1, "prepare", "draft", 20, 15, "Plan de contingencia de la cuenca del Tunjuelo",
         "Actualización del plan con las comunidades de Bosa y Kennedy.",
         "", 150),
    ],
    "emb.medellin": [
        (0, "respond", "approved", 1, 10, "Evacuación y albergue en Villa Hermosa",
         "Albergue temporal, evaluación de viviendas y apoyo psicosocial.",
         "40 familias albergadas y evaluadas.", 160),
        (1, "prepare", "approved", 12, 25, "Limpieza preventiva de quebradas",
         "Retiro de escombros de las quebradas con mayor riesgo de creciente súbita.",
         "Nueve quebradas limpias antes de la temporada de lluvias.", 90),
    ],
    "emb.lima": [
        (0, "respond", "approved", 2, 10, "Limpieza de lodo y ayuda humanitaria en Chosica",
         "Maquinaria para retirar lodo, agua segura y kits de higiene para las familias afectadas.",
         "La Carretera Central se reabrió en cuatro días.", 5200),
        (2, "recover", "submitted", 7, 30, "Recuperación de las playas del norte con los pescadores",
         "Limpieza de playas con pescadores artesanales y monitoreo de la calidad del agua.",
         "Cuatro playas limpias; pesca reanudada en dos.", 280),
    ],
    "emb.valparaiso": [
        (0, "prepare", "approved", 2, 12, "Cortafuegos y brigadas vecinales en los cerros",
         "Limpieza de microbasurales y cortafuegos con brigadas de vecinos.",
         "12 km de cortafuegos; ningún incendio alcanzó viviendas.", 400),
        (2, "recover", "draft", 6, 10, "Reparación de caletas tras las marejadas",
         "Reparación de rampas y bodegas de dos caletas de pescadores.",
         "", 120),
    ],
    "emb.rosario": [
        (0, "respond", "approved", 20, 60, "Plan de contingencia de la toma de agua",
         "Extensión de la toma y campañas de ahorro de agua durante la bajante.",
         "El servicio de agua potable no se interrumpió.", 15000),
        (1, "prepare", "submitted", 3, 14, "Red de refugios climáticos en los barrios del oeste",
         "Espacios con agua y sombra en centros de salud y clubes de barrio.",
         "Ocho refugios abiertos durante la ola de calor.", 1300),
    ],
    "emb.sanjose": [
        (0, "respond", "approved", 1, 5, "Atención a las familias del río María Aguilar",
         "Albergues temporales, víveres y limpieza de viviendas anegadas.",
         "300 familias atendidas.", 950),
        (1, "recover", "approved", 9, 20, "Estabilización del talud de Desamparados",
         "Obras de drenaje y muros de gaviones en la ladera.",
         "La calle se reabrió y las familias volvieron a sus casas.", 180),
    ],
}  # fmt: skip

APPROVE_COMMENT = "Aprobada. Gracias por vincularla al evento."
