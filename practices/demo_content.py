"""The demo's practices, replications, exchanges and follows: what practices.demo loads.

Written as the demo ambassadors would write them, in Spanish (and for some also in English or
Portuguese), from the approved actions commitments.demo gives their cities, found by title. No
practice is of Lima or Ciudad de México, and none names the School of commitment 1.2: the browser
tests publish that practice in Lima and search for it, and it must be the only match.
"""

from decimal import Decimal

from .models import Exchange

RIVER = "Restauración de la ribera del río con brigadas vecinales"
MARKET = "Mercado de productoras y productores locales"
RAIN = "Cosecha de agua de lluvia en escuelas públicas"
COUNCIL = "Cabildo abierto accesible con intérprete de lengua de señas"
FUND = "Solicitud al fondo internacional para la transición ecológica"
SHARING = "Intercambio de buenas prácticas con ciudades hermanas"
PHOTO, MINUTES = "Foto de la actividad", "Acta de la actividad"

APPROVE_COMMENT = "Publicada. Gracias por compartirla con la red."
RETURN_COMMENT = "Muy completa. Añada el costo y cómo se financió, para que otras ciudades lo puedan estimar."

# key: author, source actions (titles), evidence shared, focus areas, SDGs, where it ends
# ("published", "submitted", "draft"), featured, returned_for (the fields its first version left
# out: it was returned, completed and sent again), days between the last source's approval and
# the first draft, and the author's text.
PRACTICES = {
    "bogota-river": {
        "author": "emb.bogota",
        "actions": [RIVER],
        "share": [PHOTO, MINUTES],
        "focus_areas": ["Prevención de la contaminación", "Protección del suelo y las aguas subterráneas"],
        "goals": [6, 11, 15],
        "status": "published",
        "featured": True,
        "written_after": 6,
        "data": {
            "title": "Brigadas vecinales que devuelven la vida a la ribera del río",
            "summary_es": (
                "Vecinas y vecinos de tres barrios ribereños se organizaron en brigadas que limpian, reforestan con "
                "especies nativas y miden la calidad del agua cada mes, con apoyo técnico de la alcaldía y de la "
                "universidad. Tramos de ribera que eran botaderos hoy son corredores verdes que cuida la comunidad."
            ),
            "summary_en": (
                "Residents of three riverside neighbourhoods formed brigades that clean up, replant native species "
                "and test the water every month, with technical support from the city and the local university. "
                "Stretches of riverbank that were dumping grounds are now green corridors the community looks after."
            ),
            "problem": (
                "La ribera del río que cruza el sur de la ciudad se había convertido en un botadero de escombros y "
                "residuos. Crecían las quejas por malos olores, roedores e inundaciones en temporada de lluvias, y "
                "las jornadas de limpieza puntuales no duraban: a las pocas semanas la basura volvía."
            ),
            "what_was_done": (
                "Con las juntas de acción comunal de tres barrios formamos brigadas vecinales de 15 a 20 personas, "
                "con una persona coordinadora por tramo. La alcaldía aportó herramientas, transporte de residuos y "
                "un técnico ambiental; la universidad capacitó a las brigadas en siembra de especies nativas y en "
                "kits sencillos para medir oxígeno disuelto y turbidez. Cada brigada adoptó un tramo de 500 metros, "
                "con una jornada de limpieza y siembra al mes y un registro abierto de las mediciones."
            ),
            "results": (
                "Las hectáreas de ribera restauradas se reportan en la acción enlazada, y se retiraron varias "
                "toneladas de residuos sólidos. Las mediciones muestran menos turbidez aguas abajo de los tramos "
                "adoptados, y los puntos críticos de arrojo de basura bajaron de 14 a 3."
            ),
            "cost": Decimal("185000000"),
            "cost_currency": "COP",
            "funding": (
                "Presupuesto participativo de la localidad (60 %), aporte en especie de la empresa de acueducto "
                "(herramientas, volquetas y análisis de laboratorio) y horas de voluntariado de las brigadas."
            ),
            "partners": (
                "Juntas de acción comunal de los barrios ribereños\nUniversidad local, facultad de ingeniería "
                "ambiental\nEmpresa de acueducto y alcantarillado"
            ),
            "lessons": (
                "La constancia pesa más que el tamaño de la jornada: una cita mensual fija sostiene a las brigadas. "
                "Publicar las mediciones del agua en la cartelera del barrio motivó a más vecinos que cualquier "
                "campaña. Hay que acordar desde el inicio quién recoge los residuos retirados."
            ),
            "how_to_replicate": (
                "1. Elija un tramo de río con barrios organizados en sus orillas.\n2. Acuerde con una universidad o "
                "un colegio técnico la capacitación y los kits de medición.\n3. Asegure el transporte de residuos "
                "antes de la primera jornada.\n4. Forme brigadas por tramo, con una persona coordinadora y un "
                "calendario mensual fijo.\n5. Publique los resultados cada mes en un lugar visible del barrio."
            ),
            "contact_consent": True,
        },
    },
    "medellin-market": {
        "author": "emb.medellin",
        "actions": [MARKET],
        "share": [PHOTO],
        "focus_areas": ["Economía local", "Cuidado de los ecosistemas"],
        "goals": [2, 8, 12],
        "status": "published",
        "written_after": 4,
        "data": {
            "title": "Mercado mensual de productoras locales con compra pública directa",
            "summary_es": (
                "Una feria mensual en espacio público reúne 40 puestos de agricultura familiar y economía local, y "
                "la alcaldía compra directamente a esas mismas productoras para los comedores escolares. Acerca "
                "alimento fresco a precio justo a los barrios y da a los pequeños productores un ingreso estable."
            ),
            "summary_pt_br": (
                "Uma feira mensal em espaço público reúne 40 bancas da agricultura familiar e da economia local, e a "
                "prefeitura compra diretamente dessas mesmas produtoras para a merenda escolar. Leva alimento fresco "
                "a preço justo aos bairros e dá aos pequenos produtores uma renda estável."
            ),
            "problem": (
                "Las familias campesinas de los corregimientos vendían su cosecha a intermediarios a precios muy "
                "bajos, mientras en los barrios populares las frutas y verduras frescas eran caras o difíciles de "
                "conseguir. Las compras públicas de alimentos quedaban en manos de grandes proveedores."
            ),
            "what_was_done": (
                "Abrimos una feria el primer sábado de cada mes en un parque central, con 40 puestos asignados por "
                "convocatoria abierta y prioridad para mujeres productoras y jóvenes rurales. La secretaría de "
                "educación ajustó los pliegos para reservar una parte de los alimentos de los comedores escolares a "
                "productores locales organizados en asociaciones."
            ),
            "results": (
                "Las ventas superaron lo previsto desde la tercera edición y nacieron 12 emprendimientos nuevos; las "
                "personas beneficiadas y los negocios apoyados se reportan en la acción enlazada. Las asociaciones "
                "firmaron sus primeros contratos de suministro con los comedores escolares."
            ),
            "cost": Decimal("320000000"),
            "cost_currency": "COP",
            "funding": (
                "Presupuesto municipal de desarrollo económico para la logística de la feria; las compras salen del "
                "presupuesto ordinario del programa de alimentación escolar."
            ),
            "partners": (
                "Asociaciones de productores campesinos de los corregimientos\nSecretaría de Educación, programa de "
                "alimentación escolar\nCámara de comercio local"
            ),
            "lessons": (
                "La compra pública es lo que da estabilidad: la feria sola no alcanza para que una familia planifique "
                "la siembra. Conviene acompañar a las asociaciones con la facturación y el registro sanitario antes "
                "de abrir la convocatoria."
            ),
            "how_to_replicate": (
                "Empiece con una feria mensual en un lugar de mucho tránsito peatonal y una convocatoria sencilla. "
                "Revise con el área jurídica qué parte de las compras de alimentos puede reservarse a productores "
                "locales, y acompañe a las asociaciones con los requisitos antes de la primera compra."
            ),
        },
    },
    "valparaiso-rain": {
        "author": "emb.valparaiso",
        "actions": [RAIN],
        "share": [PHOTO, MINUTES],
        "focus_areas": ["Prevención de la contaminación"],
        "goals": [4, 6, 13],
        "status": "published",
        "written_after": 9,
        "data": {
            "title": "Cosecha de agua de lluvia en las escuelas de los cerros",
            "summary_es": (
                "Instalamos sistemas de captación de agua de lluvia en escuelas públicas de los cerros que sufren "
                "cortes de agua. Los estudiantes cuidan los estanques y miden lo que se junta en cada temporada; el "
                "agua cubre el riego de los huertos escolares y parte de los sanitarios."
            ),
            "summary_en": (
                "We installed rainwater harvesting systems in public schools on the hills, where water cuts are "
                "frequent. Students look after the tanks and measure what is collected each season; the water covers "
                "the school gardens and part of the toilets."
            ),
            "summary_pt_br": (
                "Instalamos sistemas de captação de água da chuva em escolas públicas dos morros que sofrem com "
                "cortes de água. Os estudantes cuidam dos reservatórios e medem o que é coletado a cada estação; a "
                "água cobre a irrigação das hortas escolares e parte dos sanitários."
            ),
            "problem": (
                "Las escuelas de los cerros sufren cortes de agua frecuentes en verano, que obligaban a suspender "
                "clases o a comprar agua en camiones aljibe. El agua de lluvia del invierno corría por las quebradas "
                "sin aprovecharse y arrastraba basura hacia el plan."
            ),
            "what_was_done": (
                "En cinco escuelas instalamos canaletas, filtros de primera lluvia y estanques de 5.000 a 10.000 "
                "litros, conectados al riego de los huertos y a los estanques de los sanitarios. Cada escuela formó "
                "un comité de agua con estudiantes, apoderados y un docente, que registra los litros captados y "
                "revisa los filtros después de cada temporal."
            ),
            "results": (
                "El agua almacenada se reporta en la acción enlazada. En la temporada de lluvias las escuelas "
                "cubrieron el riego y los sanitarios sin camiones aljibe, y tres de ellas llevaron el registro del "
                "agua a sus clases de ciencias."
            ),
            "cost": Decimal("42000000"),
            "cost_currency": "CLP",
            "funding": (
                "Fondo regional de desarrollo para la infraestructura, materiales aportados por la empresa sanitaria "
                "y mano de obra de las comunidades escolares en las jornadas de instalación."
            ),
            "partners": "Corporación municipal de educación\nEmpresa sanitaria regional\nUniversidad técnica local",
            "lessons": (
                "Un comité escolar con estudiantes mantiene los sistemas mejor que un contrato de mantención. Los "
                "estanques se dimensionan con datos de lluvia de al menos diez años, y los filtros de primera lluvia "
                "son indispensables en techos con polvo o excrementos de aves."
            ),
            "how_to_replicate": (
                "Elija escuelas con techos amplios y cortes de agua frecuentes, y pida a una universidad técnica el "
                "cálculo de captación. Instale primero en una escuela piloto, forme el comité de agua antes de la "
                "obra y use lo aprendido en las demás. La lista de materiales está en el acta compartida."
            ),
            "contact_consent": True,
        },
    },
    "rosario-gardens": {
        "author": "emb.rosario",
        "actions": [SHARING, RAIN],
        "share": [PHOTO],
        "focus_areas": ["Innovación social", "Intercambio de prácticas entre ciudades", "Seguridad alimentaria"],
        "goals": [2, 11, 12],
        "status": "published",
        "written_after": 10,
        "data": {
            "title": "Huertos urbanos comunitarios regados con agua de lluvia",
            "summary_es": (
                "El programa municipal de huertos urbanos convierte terrenos baldíos en huertos comunitarios que se "
                "riegan con agua de lluvia captada en techos vecinos. Lo presentamos a tres ciudades de la red, y "
                "dos de ellas pidieron la guía de implementación."
            ),
            "summary_pt_br": (
                "O programa municipal de hortas urbanas transforma terrenos baldios em hortas comunitárias irrigadas "
                "com água da chuva captada nos telhados vizinhos. Apresentamos o programa a três cidades da rede, e "
                "duas delas pediram o guia de implementação."
            ),
            "problem": (
                "Muchos terrenos baldíos de los barrios periféricos acumulaban basura y eran focos de inseguridad, "
                "mientras las familias de esos barrios apenas accedían a verdura fresca. Regar con agua de red "
                "encarecía cualquier proyecto de huerta."
            ),
            "what_was_done": (
                "Cedimos en comodato terrenos municipales a grupos vecinales, con capacitación en agroecología, "
                "semillas y herramientas. Cada huerto capta el agua de lluvia del techo más cercano, de un centro "
                "vecinal o una escuela. Escribimos una guía de implementación y presentamos el programa a tres "
                "ciudades de la red en una sesión virtual."
            ),
            "results": (
                "Los huertos abastecen a las familias participantes y a un comedor comunitario; el agua captada y "
                "los lazos de cooperación con otras ciudades se reportan en las acciones enlazadas."
            ),
            "cost": Decimal("28000000"),
            "cost_currency": "ARS",
            "funding": (
                "Presupuesto municipal de ambiente y del programa de agricultura urbana, con semillas del instituto "
                "nacional de tecnología agropecuaria."
            ),
            "partners": (
                "Programa municipal de agricultura urbana\nInstituto nacional de tecnología agropecuaria\nRed de "
                "huerteras y huerteros de la ciudad"
            ),
            "lessons": (
                "Un huerto dura cuando el grupo vecinal existe antes que el huerto. La captación de lluvia bajó el "
                "costo del riego y fue el argumento que convenció a las escuelas de prestar sus techos."
            ),
            "how_to_replicate": (
                "Busque terrenos municipales ociosos cerca de techos grandes, forme primero el grupo vecinal y firme "
                "el comodato. La guía de implementación describe los pasos, los materiales de captación y el "
                "calendario de siembra; la compartimos a quien la pida."
            ),
        },
    },
    "monterrey-council": {
        "author": "emb.monterrey",
        "actions": [COUNCIL],
        "share": [PHOTO, MINUTES],
        "focus_areas": ["Accesibilidad", "Participación ciudadana"],
        "goals": [10, 11, 16],
        "status": "published",
        "featured": True,
        "written_after": 5,
        "data": {
            "title": "Cabildo abierto accesible: intérprete de lengua de señas, subtítulos y rampas",
            "summary_es": (
                "Llevamos las sesiones de cabildo abierto a centros comunitarios accesibles, con interpretación en "
                "lengua de señas mexicana, subtitulado en vivo y materiales en lectura fácil. Personas sordas, con "
                "discapacidad y adultas mayores presentaron sus propuestas en igualdad de condiciones."
            ),
            "summary_en": (
                "We moved open council sessions to accessible community centres, with Mexican Sign Language "
                "interpreting, live captions and easy-read materials. Deaf people, people with disabilities and "
                "older adults presented their proposals on an equal footing."
            ),
            "problem": (
                "Las sesiones de cabildo abierto se hacían en un salón del palacio municipal sin rampa ni intérprete "
                "y con documentos técnicos difíciles de leer. Las organizaciones de personas con discapacidad "
                "señalaban que, en la práctica, quedaban fuera de las decisiones de la ciudad."
            ),
            "what_was_done": (
                "Revisamos el formato con las organizaciones de personas sordas y con discapacidad: sede en un "
                "centro comunitario con rampa y baño accesible, intérprete en sala y en pantalla, subtitulado en "
                "vivo, orden del día en lectura fácil y registro previo de propuestas en video en lengua de señas. "
                "La sesión se transmitió en línea con subtítulos."
            ),
            "results": (
                "Los eventos y participantes se reportan en la acción enlazada. Se registraron 38 propuestas "
                "vecinales, 9 de ellas de personas con discapacidad, y el cabildo acordó que todas sus sesiones "
                "abiertas sigan este formato."
            ),
            "cost": Decimal("380000"),
            "cost_currency": "MXN",
            "funding": "Presupuesto de participación ciudadana; la interpretación y el subtitulado, por servicios.",
            "partners": (
                "Asociación de personas sordas del estado\nColectivo de personas con discapacidad\nCentro comunitario "
                "del barrio sede"
            ),
            "lessons": (
                "Diseñar el formato con las organizaciones, y no para ellas, cambió la asistencia. El registro previo "
                "en video fue lo más valorado. La interpretación se contrata con dos semanas de anticipación."
            ),
            "how_to_replicate": (
                "Invite a las organizaciones de personas con discapacidad a revisar el formato antes de fijar la "
                "sede. Presupueste interpretación y subtitulado como parte fija de cada sesión, prepare el orden del "
                "día en lectura fácil y abra el registro de propuestas en video."
            ),
            "contact_consent": True,
        },
    },
    "sanjose-fund": {
        "author": "emb.sanjose",
        "actions": [FUND],
        "share": [MINUTES],
        "focus_areas": ["Diagnóstico", "Atracción de fondos internacionales"],
        "goals": [11, 13, 17],
        "status": "published",
        "returned_for": ["cost", "cost_currency", "funding"],
        "written_after": 3,
        "data": {
            "title": "Nota conceptual para un fondo climático internacional, escrita con datos propios",
            "summary_es": (
                "Con un diagnóstico de emisiones y riesgos climáticos hecho con datos abiertos, preparamos en doce "
                "semanas una nota conceptual para un fondo climático internacional, que pasó a la segunda fase de "
                "evaluación. Compartimos el método y el calendario de trabajo."
            ),
            "summary_en": (
                "With an emissions and climate-risk diagnosis built on open data, we wrote a concept note for an "
                "international climate fund in twelve weeks; it went through to the second stage of evaluation. We "
                "share the method and the work plan."
            ),
            "problem": (
                "La ciudad no tenía un diagnóstico climático actualizado ni experiencia en postular a fondos "
                "internacionales: las convocatorias se perdían porque los requisitos técnicos llegaban tarde."
            ),
            "what_was_done": (
                "Un equipo de cinco personas (ambiente, planificación, finanzas, cooperación internacional y una "
                "universidad) reunió los datos abiertos de emisiones, movilidad y riesgo de inundaciones, y en doce "
                "semanas redactó la nota conceptual con su marco lógico y un presupuesto indicativo. La oficina "
                "nacional de cambio climático la revisó en un taller antes del envío."
            ),
            "results": (
                "La solicitud pasó a la segunda fase de evaluación; los montos solicitados y comprometidos se "
                "registran en la acción enlazada. El diagnóstico es hoy la línea base del plan municipal de "
                "transición ecológica."
            ),
            "cost": Decimal("6500000"),
            "cost_currency": "CRC",
            "funding": "Horas del personal municipal y una cooperación técnica no reembolsable para el diagnóstico.",
            "partners": "Universidad pública, escuela de ingeniería\nOficina nacional de cambio climático",
            "lessons": (
                "El diagnóstico es lo que más tarda: conviene tenerlo antes de que abra la convocatoria. Alguien de "
                "finanzas en el equipo desde el primer día evita rehacer el presupuesto."
            ),
            "how_to_replicate": (
                "Arme un equipo interinstitucional pequeño con alguien de finanzas, reúna los datos abiertos antes "
                "de la convocatoria, siga el calendario de doce semanas del acta y pida a la autoridad nacional que "
                "revise la nota antes de enviarla."
            ),
        },
    },
    "medellin-council": {
        "author": "emb.medellin",
        "actions": [COUNCIL],
        "share": [PHOTO],
        "focus_areas": ["Participación ciudadana", "Inclusión de grupos históricamente excluidos"],
        "goals": [10, 16],
        "status": "submitted",
        "written_after": 75,
        "data": {
            "title": "Cabildos abiertos en las comunas, con subtitulado en vivo",
            "summary_es": (
                "Sacamos los cabildos abiertos del centro administrativo y los llevamos a las comunas, con "
                "subtitulado en vivo, interpretación en lengua de señas colombiana y un formulario de propuestas en "
                "lectura fácil."
            ),
            "problem": (
                "La participación en los cabildos se concentraba en las mismas organizaciones de siempre; las comunas "
                "periféricas y las personas con discapacidad casi no intervenían."
            ),
            "what_was_done": (
                "Cuatro sesiones de cabildo en casas de la cultura de las comunas, con rampa, intérprete, subtitulado "
                "en vivo y transmisión por la emisora comunitaria. Las propuestas se recibieron por escrito, en "
                "video o de viva voz."
            ),
            "results": (
                "Los eventos y participantes se reportan en la acción enlazada. Las propuestas de las comunas "
                "periféricas pasaron de una de cada diez a casi la mitad."
            ),
            "funding": "Presupuesto de participación ciudadana.",
            "partners": "Juntas administradoras locales\nEmisora comunitaria",
            "lessons": "La emisora comunitaria convocó a más personas que las redes sociales.",
            "how_to_replicate": (
                "Acuerde las sedes con las juntas administradoras locales, presupueste intérprete y subtitulado, y "
                "anuncie la sesión por la emisora comunitaria con tres semanas de anticipación."
            ),
        },
    },
    "valparaiso-fund": {
        "author": "emb.valparaiso",
        "actions": [FUND],
        "share": [],
        "focus_areas": ["Estrategia", "Planeación a mediano plazo"],
        "goals": [13, 17],
        "status": "draft",
        "written_after": 70,
        "data": {
            "title": "Mesa técnica para postular a fondos climáticos internacionales",
            "summary_es": (
                "Una mesa técnica del municipio, el nivel regional y dos universidades prepara cada año la cartera "
                "de proyectos de transición ecológica que la ciudad presenta a fondos internacionales."
            ),
            "problem": "Cada área postulaba por su cuenta, con proyectos que se repetían o competían entre sí.",
            "what_was_done": (
                "Creamos una mesa técnica que se reúne cada mes, prioriza los proyectos con criterios comunes y "
                "prepara los diagnósticos que piden los fondos."
            ),
            "results": "La primera solicitud de la mesa ya fue presentada; se registra en la acción enlazada.",
            "how_to_replicate": "Convoque a las áreas que postulan y a una universidad, y acuerden criterios comunes.",
        },
    },
}

# practice, who replicates it, how they adapt it, their actions linked (title, completes), and
# how many days after the publication they said so.
REPLICATIONS = [
    ("bogota-river", "emb.valparaiso", "Brigadas en los esteros de los cerros, convocadas desde los clubes deportivos "
     "de cada sector.", [(RIVER, True)], 30),
    ("bogota-river", "emb.rosario", "Brigadas en los arroyos de la zona oeste, con las vecinales como coordinadoras "
     "de tramo.", [(RIVER, True)], 45),
    ("bogota-river", "emb.sanjose", "La aplicamos en la ribera del río María Aguilar con las asociaciones de "
     "desarrollo comunal.", [(RIVER, False)], 60),
    ("bogota-river", "emb.monterrey", "La estamos evaluando para el cauce del río Santa Catarina, junto con "
     "Protección Civil.", [], 80),
    ("medellin-market", "emb.bogota", "Adaptamos la feria a las plazas de mercado distritales y sumamos la compra "
     "para los comedores comunitarios.", [(MARKET, True)], 15),
    ("medellin-market", "emb.valparaiso", "Feria de productores del borde costero y de los valles cercanos.",
     [(MARKET, False)], 90),
    ("valparaiso-rain", "emb.medellin", "Captación en escuelas de las laderas, con los comités escolares de gestión "
     "del riesgo.", [(RAIN, True)], 25),
    ("valparaiso-rain", "emb.bogota", "Un primer piloto en dos colegios distritales del sur de la ciudad.",
     [(RAIN, False)], 70),
    ("monterrey-council", "emb.rosario", "Sesiones del concejo en los distritos, con intérprete de lengua de señas "
     "argentina.", [(COUNCIL, True)], 7),
    ("monterrey-council", "emb.valparaiso", "Cabildos en las juntas de vecinos de los cerros, con subtitulado.",
     [(COUNCIL, True)], 20),
    ("rosario-gardens", "emb.sanjose", "Huertos en terrenos municipales de los distritos del sur.", [], 20),
]  # fmt: skip

# Who records it, its kind and text, the other network cities, the partner cities outside the
# network, the practices it spread (its date: days after the first one's publication, and how long).
EXCHANGES = [
    {
        "by": "emb.bogota",
        "kind": Exchange.Kind.WEBINAR,
        "title": "Webinar: brigadas vecinales para recuperar riberas urbanas",
        "description": (
            "Bogotá presentó su experiencia de brigadas vecinales a los equipos de ambiente de cinco ciudades de la "
            "red, y el Ayuntamiento de Barcelona contó cómo mide la calidad del agua del río Besòs con voluntariado. "
            "Participaron 86 personas; tres ciudades anunciaron que replicarán la práctica."
        ),
        "cities": ["Valparaíso", "Rosario", "San José", "Monterrey"],
        "partners": [("Barcelona", "ES")],
        "practices": ["bogota-river"],
        "after": 25,
        "days": 0,
    },
    {
        "by": "emb.medellin",
        "kind": Exchange.Kind.TWINNING,
        "title": "Hermanamiento de Medellín y Curitiba: mercados de productores y compra pública de alimentos",
        "description": (
            "Acuerdo de cooperación de dos años entre Medellín y Curitiba para intercambiar experiencias de ferias "
            "de agricultura familiar, compra pública para la alimentación escolar y bancos de alimentos, con una "
            "visita técnica al año y un grupo de trabajo virtual que se reúne cada dos meses."
        ),
        "cities": [],
        "partners": [("Curitiba", "BR")],
        "practices": ["medellin-market"],
        "after": 40,
        "days": None,
    },
    {
        "by": "coord.sur",
        "kind": Exchange.Kind.PEER_LEARNING,
        "title": "Visita de aprendizaje entre pares a las escuelas que cosechan lluvia en Valparaíso",
        "description": (
            "Equipos de educación y ambiente de Medellín y Bogotá recorrieron durante tres días cinco escuelas de "
            "los cerros de Valparaíso, conversaron con los comités de agua estudiantiles y revisaron con la "
            "universidad técnica el cálculo de los estanques."
        ),
        "cities": ["Valparaíso", "Medellín", "Bogotá"],
        "partners": [],
        "practices": ["valparaiso-rain"],
        "after": 20,
        "days": 2,
    },
]

# The commitments whose new practices go into each coordinator's weekly summary.
FOLLOWS = {"coord.norte": ["1.1"], "coord.sur": ["1.1", "3.1"]}
