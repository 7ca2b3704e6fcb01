"""Three targets per city, on three of the indicators, due in the short, medium and long term."""

import datetime

from commitments.models import Indicator, Target

from .catalogue import INDICATOR_RANGES
from .moments import DAY, HOUR, at
from .tables import Table, reset_sequences


def create_targets(rng, ctx, sums):
    """Three targets per city, short, medium and long term, on three of the indicators.

    A cumulative target aims at what the city's pace so far would reach by the due date, give
    or take: some are achieved, some on track, some at risk or off track, as in real life.
    Returns (rows written, {(city index, horizon): target id}).
    """
    calendar, baseline_year = ctx["calendar"], ctx["baseline_year"]
    today = calendar.today
    indicators = list(
        Indicator.objects.filter(active=True, commitment__active=True)
        .order_by("pk")
        .values_list("pk", "kind", "direction", "aggregation", "code")
    )
    if len(indicators) < 3:
        return 0, {}
    table = Table(
        Target,
        [
            *("id", "city_id", "indicator_id", "horizon", "baseline", "baseline_year", "target_value", "due_on"),
            *("created_at", "updated_at", "updated_by_id"),
        ],
    )
    next_id = table.next_id()
    baseline_end = datetime.date(baseline_year, 12, 31)
    elapsed = max((today - baseline_end).days, 1)
    rows, target_of = [], {}
    for c, (city_id, _country) in enumerate(ctx["cities"]):
        moment = at(calendar.window_start, 15 * HOUR + int(rng.random() * 30) * DAY)
        for horizon, (pk, kind, direction, aggregation, code) in zip(
            ("short", "medium", "long"), rng.sample(indicators, 3), strict=True
        ):
            due_year = {"short": today.year, "medium": today.year + 2, "long": today.year + 5}[horizon]
            if horizon == "short" and rng.random() < 0.3 and today.year - 1 > baseline_year:
                due_year = today.year - 1  # due already: achieved or off track
            due_on = datetime.date(due_year, 12, 31)
            if kind == Indicator.Kind.YES_NO:
                baseline, goal = 0, 1
            elif kind == Indicator.Kind.PERCENTAGE:
                baseline = round(10 + rng.random() * 50, 1)
                goal = min(100, round(baseline + 10 + rng.random() * 25, 1))
            else:
                low, high = INDICATOR_RANGES.get(code, (1, 100))
                so_far = sums.get((c, pk), 0)
                baseline = int(rng.random() * (so_far * 0.3 + high))
                if aggregation == Indicator.Aggregation.CUMULATIVE and so_far:
                    pace = so_far * (due_on - baseline_end).days / elapsed
                    goal = baseline + max(1, int(pace * (0.7 + rng.random() * 0.8)))
                else:
                    goal = baseline + low + int(rng.random() * (high - low + 1) * 3)
            if direction == Indicator.Direction.DECREASE:
                # Less is better: the target lies below the baseline.
                baseline = max(baseline, goal, 1)
                goal = round(baseline * (0.5 + rng.random() * 0.4), 2)
            author = ctx["ambassador_users"][c]
            rows.append((next_id, city_id, pk, horizon, baseline, baseline_year, goal, due_on, moment, moment, author))
            target_of[(c, horizon)] = next_id
            next_id += 1
    table.write(rows)
    reset_sequences([Target])
    return len(rows), target_of
