"""The floor of bench/pages.py: the SQL the database alone needs to produce the figures of the
coordinator overview and of a city dashboard ("Mi ciudad"), in two variants: straight from the
base tables, and with the monthly, indicator and review tallies wherever they can answer. Plus the
queries that pick the cities to measure and describe the data.
"""

# The floor's SQL. Parameters: %(user_id)s the visitor; %(cities)s the ids of the cities in scope
# (the result of "scope", which each floor request runs first); %(start)s and %(end)s the period
# (dates); %(start_at)s and %(end_at)s the same period as instants in the site's time zone (a
# range on status changes' `at` that an index can use); %(today)s; for a city page %(city_id)s,
# %(year_start)s and %(last_year)s (the first day of the chart's twelve months).

SCOPE_SQL = """
SELECT c.id
FROM ambassadors_city c
WHERE c.country_id IN (
        SELECT cc.country_id
        FROM ambassadors_coordinator co
        JOIN ambassadors_coordinator_countries cc ON cc.coordinator_id = co.id
        WHERE co.user_id = %(user_id)s AND co.active)
  AND EXISTS (SELECT 1 FROM ambassadors_ambassador am WHERE am.city_id = c.id)
"""

# The money of funding.figures.pipeline, from the opportunities matching {where}. USD: 1 for
# dollars, else the rate in force on the day the opportunity was identified (none: left out of
# the USD sums and counted apart). The columns are named as funding.figures names them;
# bench/tests/test_floor_money.py checks they give the app's figures.
USD_RATE = """
        CROSS JOIN LATERAL (
            SELECT CASE WHEN o.currency = 'USD' THEN 1 ELSE (
                SELECT er.usd_per_unit
                FROM commitments_exchangerate er
                WHERE er.currency = o.currency AND er.effective_on <= o.identified_on
                ORDER BY er.effective_on DESC
                LIMIT 1) END AS rate
        ) r"""
PIPELINE_SQL = """
        SELECT o.stage, o.currency, count(*) AS count, sum(o.amount) AS total, sum(o.amount * r.rate) AS usd,
               sum(o.amount_awarded) AS awarded, sum(o.amount_awarded * r.rate) AS awarded_total_usd,
               count(*) FILTER (WHERE r.rate IS NULL) AS without_rate
        FROM funding_opportunity o{rate}
        WHERE {where}
        GROUP BY o.stage, o.currency
        ORDER BY o.stage, o.currency
    """
DISBURSED_SQL = """
        SELECT o.currency, count(DISTINCT o.id) AS count, sum(d.amount) AS total, sum(d.amount * r.rate) AS usd,
               count(DISTINCT o.id) FILTER (WHERE r.rate IS NULL) AS without_rate
        FROM funding_disbursement d
        JOIN funding_opportunity o ON o.id = d.opportunity_id{rate}
        WHERE {where}
        GROUP BY o.currency
        ORDER BY o.currency
    """
# The next five deadlines of the opportunities still being prepared, whenever identified.
DEADLINES_SQL = """
        SELECT o.id, o.title, o.deadline, o.amount, o.currency, o.funder_name, f.name, c.name
        FROM funding_opportunity o
        JOIN ambassadors_city c ON c.id = o.city_id
        LEFT JOIN funding_funder f ON f.id = o.funder_id
        WHERE {where} AND o.stage IN ('identified', 'preparing') AND o.deadline >= %(today)s
        ORDER BY o.deadline, o.id
        LIMIT 5
    """
IN_SCOPE = "o.city_id = ANY(%(cities)s::bigint[])"
IN_PERIOD = IN_SCOPE + " AND o.identified_on BETWEEN %(start)s AND %(end)s"
OF_CITY = "o.city_id = %(city_id)s"
OF_CITY_THIS_YEAR = OF_CITY + " AND o.identified_on BETWEEN %(year_start)s AND %(today)s"

# Overview figures that only the base tables hold, whichever variant.
OVERVIEW_SHARED_SQL = {
    "in_office": """
        SELECT count(*)
        FROM ambassadors_ambassador am
        WHERE am.city_id = ANY(%(cities)s::bigint[])
          AND am.appointed_on <= %(end)s
          AND (am.ended_on IS NULL OR am.ended_on >= %(start)s)
          AND am.status <> 'paused'
    """,
    "waiting": """
        SELECT count(*), min(a.submitted_at)
        FROM commitments_action a
        WHERE a.status = 'submitted' AND a.city_id = ANY(%(cities)s::bigint[])
    """,
    # The pipeline of the opportunities identified in the period (a cohort), and the next deadlines.
    "pipeline": PIPELINE_SQL.format(rate=USD_RATE, where=IN_PERIOD),
    "disbursed": DISBURSED_SQL.format(rate=USD_RATE, where=IN_PERIOD),
    "deadlines": DEADLINES_SQL.format(where=IN_SCOPE),
    "countries": """
        SELECT DISTINCT c.country_id FROM ambassadors_city c WHERE c.id = ANY(%(cities)s::bigint[]) ORDER BY 1
    """,
}

# Review times from the decisions themselves: exact medians, three sorts of the period's decisions.
REVIEW_DECISIONS_SQL = {
    "decisions": """
        SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY sc.review_time)
        FROM commitments_actionstatuschange sc
        WHERE sc.to_status IN ('approved', 'returned')
          AND sc.at >= %(start_at)s AND sc.at < %(end_at)s
          AND sc.city_id = ANY(%(cities)s::bigint[])
    """,
    "review_per_reviewer": """
        SELECT sc.by_id, u.username, u.first_name, u.last_name, count(*) AS decisions,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY sc.review_time) AS median
        FROM commitments_actionstatuschange sc
        JOIN auth_user u ON u.id = sc.by_id
        WHERE sc.to_status IN ('approved', 'returned')
          AND sc.at >= %(start_at)s AND sc.at < %(end_at)s
          AND sc.city_id = ANY(%(cities)s::bigint[])
        GROUP BY sc.by_id, u.username, u.first_name, u.last_name
        ORDER BY decisions DESC, u.username
    """,
    "review_per_city": """
        SELECT sc.city_id, c.name, count(*) AS decisions,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY sc.review_time) AS median
        FROM commitments_actionstatuschange sc
        JOIN ambassadors_city c ON c.id = sc.city_id
        WHERE sc.to_status IN ('approved', 'returned')
          AND sc.at >= %(start_at)s AND sc.at < %(end_at)s
          AND sc.city_id = ANY(%(cities)s::bigint[])
        GROUP BY sc.city_id, c.name
        ORDER BY c.name
    """,
}

# Review times from the review tally (commitments.review_tally.medians): the decisions per band,
# added up per city, per reviewer and overall, and the bands of the middle decisions.
REVIEW_TALLY_SQL = {
    "review_times": """
        WITH scoped AS (
            SELECT city_id, reviewer_id, bucket, decisions
            FROM commitments_reviewtally
            WHERE month BETWEEN %(start)s AND %(end)s AND city_id = ANY(%(cities)s::bigint[])),
        cells AS (
            SELECT 0 AS tag, 0::bigint AS key, bucket, sum(decisions) AS n FROM scoped GROUP BY bucket
            UNION ALL SELECT 1, city_id, bucket, sum(decisions) FROM scoped GROUP BY city_id, bucket
            UNION ALL SELECT 2, reviewer_id, bucket, sum(decisions) FROM scoped GROUP BY reviewer_id, bucket),
        ranked AS (
            SELECT tag, key, bucket,
                   sum(n) FILTER (WHERE bucket >= 0) OVER (PARTITION BY tag, key ORDER BY bucket) AS upto,
                   sum(n) FILTER (WHERE bucket >= 0) OVER (PARTITION BY tag, key) AS timed,
                   sum(n) OVER (PARTITION BY tag, key) AS decisions
            FROM cells)
        SELECT tag, key, max(decisions),
               min(bucket) FILTER (WHERE bucket >= 0 AND upto > (timed - 1) / 2),
               min(bucket) FILTER (WHERE bucket >= 0 AND upto > timed / 2)
        FROM ranked
        GROUP BY tag, key
    """,
}

# Overview figures on approved actions: counted from the actions themselves.
OVERVIEW_ACTIONS_SQL = {
    "totals": """
        SELECT count(*) AS approved, count(DISTINCT a.city_id) AS active_cities,
               coalesce(sum(a.people_reached), 0) AS people, coalesce(sum(a.women_reached), 0) AS women,
               coalesce(sum(a.men_reached), 0) AS men, coalesce(sum(a.other_reached), 0) AS other,
               coalesce(sum(a.youth_reached), 0) AS youth,
               coalesce(sum(a.disability_reached), 0) AS disability,
               coalesce(sum(a.indigenous_reached), 0) AS indigenous, coalesce(sum(a.afro_reached), 0) AS afro
        FROM commitments_action a
        WHERE a.status = 'approved' AND a.started_on BETWEEN %(start)s AND %(end)s
          AND a.city_id = ANY(%(cities)s::bigint[])
    """,
    "coverage": """
        SELECT x.number, cm.number, cm.title_es, coalesce(covered.cities, 0)
        FROM commitments_commitment cm
        JOIN action_axes_axis x ON x.id = cm.axis_id
        LEFT JOIN (
            SELECT a.commitment_id, count(DISTINCT a.city_id) AS cities
            FROM commitments_action a
            WHERE a.status = 'approved' AND a.started_on BETWEEN %(start)s AND %(end)s
              AND a.city_id = ANY(%(cities)s::bigint[])
            GROUP BY a.commitment_id
        ) covered ON covered.commitment_id = cm.id
        WHERE cm.active
        ORDER BY x.number, cm."order", cm.number
    """,
    "monthly_series": """
        SELECT date_trunc('month', a.started_on)::date AS month, cm.axis_id,
               count(*) AS approved, coalesce(sum(a.people_reached), 0) AS people
        FROM commitments_action a
        JOIN commitments_commitment cm ON cm.id = a.commitment_id
        WHERE a.status = 'approved' AND a.started_on BETWEEN %(start)s AND %(end)s
          AND a.city_id = ANY(%(cities)s::bigint[])
        GROUP BY 1, 2
        ORDER BY 1, 2
    """,
    # The map: each city's approved actions in the period and its latest approved action ever.
    "cities": """
        SELECT c.id, c.name, c.latitude, c.longitude, coalesce(p.approved, 0) AS approved,
               latest.started_on AS last_approved_on
        FROM ambassadors_city c
        LEFT JOIN (
            SELECT a.city_id, count(*) AS approved
            FROM commitments_action a
            WHERE a.status = 'approved' AND a.started_on BETWEEN %(start)s AND %(end)s
              AND a.city_id = ANY(%(cities)s::bigint[])
            GROUP BY a.city_id
        ) p ON p.city_id = c.id
        LEFT JOIN LATERAL (
            SELECT a.started_on
            FROM commitments_action a
            WHERE a.city_id = c.id AND a.status = 'approved' AND a.started_on IS NOT NULL
            ORDER BY a.started_on DESC
            LIMIT 1
        ) latest ON true
        WHERE c.id = ANY(%(cities)s::bigint[])
        ORDER BY c.name
    """,
}

# The same figures from the monthly tally (the period is whole months).
OVERVIEW_TALLY_SQL = {
    "totals": """
        SELECT coalesce(sum(t.actions), 0) AS approved, count(DISTINCT t.city_id) AS active_cities,
               coalesce(sum(t.people_reached), 0) AS people, coalesce(sum(t.women_reached), 0) AS women,
               coalesce(sum(t.men_reached), 0) AS men, coalesce(sum(t.other_reached), 0) AS other,
               coalesce(sum(t.youth_reached), 0) AS youth,
               coalesce(sum(t.disability_reached), 0) AS disability,
               coalesce(sum(t.indigenous_reached), 0) AS indigenous, coalesce(sum(t.afro_reached), 0) AS afro
        FROM commitments_monthlytally t
        WHERE t.month BETWEEN %(start)s AND %(end)s AND t.city_id = ANY(%(cities)s::bigint[])
    """,
    "coverage": """
        SELECT x.number, cm.number, cm.title_es, coalesce(covered.cities, 0)
        FROM commitments_commitment cm
        JOIN action_axes_axis x ON x.id = cm.axis_id
        LEFT JOIN (
            SELECT t.commitment_id, count(DISTINCT t.city_id) AS cities
            FROM commitments_monthlytally t
            WHERE t.month BETWEEN %(start)s AND %(end)s AND t.city_id = ANY(%(cities)s::bigint[])
            GROUP BY t.commitment_id
        ) covered ON covered.commitment_id = cm.id
        WHERE cm.active
        ORDER BY x.number, cm."order", cm.number
    """,
    "monthly_series": """
        SELECT t.month, cm.axis_id, sum(t.actions) AS approved, sum(t.people_reached) AS people
        FROM commitments_monthlytally t
        JOIN commitments_commitment cm ON cm.id = t.commitment_id
        WHERE t.month BETWEEN %(start)s AND %(end)s AND t.city_id = ANY(%(cities)s::bigint[])
        GROUP BY 1, 2
        ORDER BY 1, 2
    """,
    "cities": """
        SELECT c.id, c.name, c.latitude, c.longitude,
               coalesce(sum(t.actions) FILTER (WHERE t.month BETWEEN %(start)s AND %(end)s), 0) AS approved,
               max(t.last_started_on) AS last_approved_on
        FROM ambassadors_city c
        LEFT JOIN commitments_monthlytally t ON t.city_id = c.id
        WHERE c.id = ANY(%(cities)s::bigint[])
        GROUP BY c.id
        ORDER BY c.name
    """,
}

# "Mi ciudad": what only the base tables hold, whichever variant.
CITY_SHARED_SQL = {
    "city": """
        SELECT c.name, c.region, c.country_id FROM ambassadors_city c WHERE c.id = %(city_id)s
    """,
    "timeline": """
        SELECT a.id, a.started_on, x.number, cm.number, a.title, a.people_reached
        FROM commitments_action a
        JOIN commitments_commitment cm ON cm.id = a.commitment_id
        JOIN action_axes_axis x ON x.id = cm.axis_id
        WHERE a.city_id = %(city_id)s AND a.status = 'approved'
        ORDER BY a.started_on DESC, a.id DESC
        LIMIT 12
    """,
    "recent": """
        SELECT sc.at, sc.action_id, a.title, sc.to_status
        FROM commitments_actionstatuschange sc
        JOIN commitments_action a ON a.id = sc.action_id
        WHERE sc.city_id = %(city_id)s
        ORDER BY sc.at DESC, sc.id DESC
        LIMIT 10
    """,
    # The city's pipeline, all of it and the opportunities identified this year, and its next deadlines.
    "pipeline": PIPELINE_SQL.format(rate=USD_RATE, where=OF_CITY),
    "disbursed": DISBURSED_SQL.format(rate=USD_RATE, where=OF_CITY),
    "pipeline_this_year": PIPELINE_SQL.format(rate=USD_RATE, where=OF_CITY_THIS_YEAR),
    "disbursed_this_year": DISBURSED_SQL.format(rate=USD_RATE, where=OF_CITY_THIS_YEAR),
    "deadlines": DEADLINES_SQL.format(where=OF_CITY),
}

# The on-track rule of commitments.models.TargetQuerySet.with_progress, one city's targets; {values}
# is the LATERAL join that gives each target its approved values' sum (total) and latest value.
# Progress is (value - baseline) x sign, in the indicator's direction; on track at 85 % of the
# progress expected by now. bench/tests/test_pages_floor.py checks that both variants judge as
# the app does.
TARGETS_SQL = """
        WITH progress AS (
            SELECT t.id, i.code, i.name_es, i.unit_es, t.horizon, t.due_on, t.baseline, t.baseline_year,
                   t.target_value, i.direction, CASE WHEN i.direction = 'decrease' THEN -1 ELSE 1 END AS sign,
                   CASE WHEN i.aggregation = 'cumulative' THEN t.baseline + coalesce(v.total, 0)
                        ELSE coalesce(v.latest, t.baseline) END AS current_value,
                   round((t.baseline + (t.target_value - t.baseline) * CASE
                       WHEN t.due_on <= make_date(t.baseline_year + 1, 1, 1) OR t.due_on <= %(today)s THEN 1.0
                       WHEN make_date(t.baseline_year + 1, 1, 1) >= %(today)s THEN 0.0
                       ELSE (%(today)s::date - make_date(t.baseline_year + 1, 1, 1))::float8
                            / (t.due_on - make_date(t.baseline_year + 1, 1, 1))
                   END)::numeric(24, 6), 4) AS expected_value
            FROM commitments_target t
            JOIN commitments_indicator i ON i.id = t.indicator_id{values}            WHERE t.city_id = %(city_id)s
        )
        SELECT *, CASE
                   WHEN (current_value - baseline) * sign >= (target_value - baseline) * sign THEN 'achieved'
                   WHEN due_on < %(today)s THEN 'off_track'
                   WHEN (expected_value - baseline) * sign <= 0
                     OR (current_value - baseline) * sign * 100 >= (expected_value - baseline) * sign * 85
                     THEN 'on_track'
                   ELSE 'at_risk' END AS status
        FROM progress
        ORDER BY code, due_on
    """

CITY_ACTIONS_SQL = {
    "targets": TARGETS_SQL.format(
        values="""
            LEFT JOIN LATERAL (
                SELECT sum(iv.value) AS total,
                       (array_agg(iv.value ORDER BY a.started_on DESC, iv.action_id DESC))[1] AS latest
                FROM commitments_indicatorvalue iv
                JOIN commitments_action a ON a.id = iv.action_id
                WHERE iv.indicator_id = t.indicator_id AND a.city_id = t.city_id AND a.status = 'approved'
                  AND a.started_on >= make_date(t.baseline_year + 1, 1, 1) AND a.started_on <= %(today)s
            ) v ON true
"""
    ),
    # Per commitment: approved in total and this year, and whether anything was logged this year
    # (any status but draft); the axes' totals are sums of these rows.
    "commitments": """
        SELECT cm.id, x.number, cm.number, cm.title_es,
               count(a.id) FILTER (WHERE a.status = 'approved') AS approved,
               count(a.id) FILTER (WHERE a.status = 'approved' AND a.started_on >= %(year_start)s) AS this_year,
               bool_or(a.status <> 'draft' AND a.started_on >= %(year_start)s) AS logged_this_year
        FROM commitments_commitment cm
        JOIN action_axes_axis x ON x.id = cm.axis_id
        LEFT JOIN commitments_action a ON a.commitment_id = cm.id AND a.city_id = %(city_id)s
        WHERE cm.active
        GROUP BY cm.id, x.number
        ORDER BY x.number, cm."order", cm.number
    """,
    "monthly_series": """
        SELECT date_trunc('month', a.started_on)::date AS month, cm.axis_id,
               count(*) AS approved, coalesce(sum(a.people_reached), 0) AS people
        FROM commitments_action a
        JOIN commitments_commitment cm ON cm.id = a.commitment_id
        WHERE a.city_id = %(city_id)s AND a.status = 'approved' AND a.started_on BETWEEN %(last_year)s AND %(today)s
        GROUP BY 1, 2
        ORDER BY 1, 2
    """,
}

CITY_TALLY_SQL = {
    # The same rule, with the values from the indicator tally.
    "targets": TARGETS_SQL.format(
        values="""
            LEFT JOIN LATERAL (
                SELECT sum(it.total) AS total, (array_agg(it.latest_value ORDER BY it.month DESC))[1] AS latest
                FROM commitments_indicatortally it
                WHERE it.indicator_id = t.indicator_id AND it.city_id = t.city_id
                  AND it.month >= make_date(t.baseline_year + 1, 1, 1) AND it.month <= %(today)s
            ) v ON true
"""
    ),
    "commitments": """
        SELECT cm.id, x.number, cm.number, cm.title_es,
               coalesce(sum(t.actions), 0) AS approved,
               coalesce(sum(t.actions) FILTER (WHERE t.month >= %(year_start)s), 0) AS this_year,
               EXISTS (
                   SELECT 1 FROM commitments_action a
                   WHERE a.commitment_id = cm.id AND a.city_id = %(city_id)s
                     AND a.started_on >= %(year_start)s AND a.status <> 'draft'
               ) AS logged_this_year
        FROM commitments_commitment cm
        JOIN action_axes_axis x ON x.id = cm.axis_id
        LEFT JOIN commitments_monthlytally t ON t.commitment_id = cm.id AND t.city_id = %(city_id)s
        WHERE cm.active
        GROUP BY cm.id, x.number
        ORDER BY x.number, cm."order", cm.number
    """,
    "monthly_series": """
        SELECT t.month, cm.axis_id, sum(t.actions) AS approved, sum(t.people_reached) AS people
        FROM commitments_monthlytally t
        JOIN commitments_commitment cm ON cm.id = t.commitment_id
        WHERE t.city_id = %(city_id)s AND t.month BETWEEN %(last_year)s AND %(today)s
        GROUP BY 1, 2
        ORDER BY 1, 2
    """,
}

FLOOR_SQL = {
    "overview": {
        "base_tables": {**OVERVIEW_SHARED_SQL, **OVERVIEW_ACTIONS_SQL, **REVIEW_DECISIONS_SQL},
        "tally": {**OVERVIEW_SHARED_SQL, **OVERVIEW_TALLY_SQL, **REVIEW_TALLY_SQL},
    },
    "city_dashboard": {
        "base_tables": {**CITY_SHARED_SQL, **CITY_ACTIONS_SQL},
        "tally": {**CITY_SHARED_SQL, **CITY_TALLY_SQL},
    },
}

CITY_RANKING_SQL = """
    SELECT c.id, c.name, count(a.id) AS approved
    FROM ambassadors_city c
    LEFT JOIN commitments_action a ON a.city_id = c.id AND a.status = 'approved'
    WHERE c.id = ANY(%(cities)s::bigint[])
    GROUP BY c.id
    ORDER BY approved DESC, c.id
"""

DATA_SQL = {
    "actions": "SELECT status, count(*) FROM commitments_action GROUP BY status ORDER BY status",
    "tables": """
        SELECT (SELECT count(*) FROM ambassadors_city),
               (SELECT count(*) FROM ambassadors_city c
                WHERE EXISTS (SELECT 1 FROM ambassadors_ambassador am WHERE am.city_id = c.id)),
               (SELECT count(*) FROM commitments_monthlytally),
               (SELECT count(*) FROM commitments_actionstatuschange),
               (SELECT count(*) FROM funding_opportunity),
               (SELECT count(*) FROM commitments_target),
               (SELECT count(*) FROM commitments_indicatorvalue)
    """,
}
