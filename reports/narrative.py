"""The narrative of a progress report: the sentences that state its figures."""

from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext, pgettext

from commitments.models import TARGET_STATUS_ORDER, TargetStatus


def _number(value):
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def narrative(report):
    """A few sentences that state the report's figures, in the active language. Each sentence is
    translated whole, with the plural forms of its count, so every language can phrase it its way."""
    count = report["totals"]["approved"]
    sentences = [_opening(report), _people(report["totals"])]
    if count:
        sentences += [_busiest_axes(report["axes"], count), _gaps(report["gaps"])]
    sentences.append(_targets(report["target_counts"]))
    sentences += _practices(report.get("practices"))
    sentences.append(_money(report))
    return " ".join(sentence for sentence in sentences if sentence)


def _usd(value):
    return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


def _money(report):
    """The money awarded to the opportunities identified in the period, and what of it came in;
    in a report written before the funding pipeline, its actions' money secured."""
    money = report.get("money")
    if money is None:
        if not report.get("secured_usd"):
            return ""
        return gettext("Los fondos otorgados o desembolsados suman %(usd)s USD.") % {"usd": _usd(report["secured_usd"])}
    awarded, disbursed = money["awarded"], money["disbursed"]
    if not awarded["usd"]:
        return ""
    if not disbursed["usd"]:
        return gettext("El financiamiento otorgado suma %(usd)s USD.") % {"usd": _usd(awarded["usd"])}
    return gettext("El financiamiento otorgado suma %(usd)s USD, de los que se recibieron %(disbursed)s USD.") % {
        "usd": _usd(awarded["usd"]),
        "disbursed": _usd(disbursed["usd"]),
    }


def _enumeration(items):
    """ "1, 2 y 3" in the active language."""
    items = list(items)
    if len(items) == 1:
        return items[0]
    return pgettext("the last two items of a list", "%(first)s y %(last)s") % {
        "first": ", ".join(items[:-1]),
        "last": items[-1],
    }


def _opening(report):
    """How many actions were approved, against the period before: none, as many, more or fewer."""
    change = report["change"]
    values = {
        "when": report["period_phrase"],
        "previous_when": report["previous_phrase"],
        "city": report["city"],
        "count": _number(change.current),
        "previous": _number(change.previous),
        "difference": _number(abs(change.difference)),
    }
    if not change.current and not change.previous:
        sentence = gettext("%(when)s, %(city)s no registró ninguna acción aprobada, como tampoco %(previous_when)s.")
    elif not change.current:
        sentence = ngettext(
            "%(when)s, %(city)s no registró ninguna acción aprobada, frente a %(previous)s %(previous_when)s.",
            "%(when)s, %(city)s no registró ninguna acción aprobada, frente a %(previous)s %(previous_when)s.",
            change.previous,
        )
    elif not change.previous:
        sentence = ngettext(
            "%(when)s, %(city)s registró %(count)s acción aprobada, frente a ninguna %(previous_when)s.",
            "%(when)s, %(city)s registró %(count)s acciones aprobadas, frente a ninguna %(previous_when)s.",
            change.current,
        )
    elif not change.difference:
        sentence = ngettext(
            "%(when)s, %(city)s registró %(count)s acción aprobada, igual que %(previous_when)s.",
            "%(when)s, %(city)s registró %(count)s acciones aprobadas, igual que %(previous_when)s.",
            change.current,
        )
    elif change.difference > 0:
        sentence = ngettext(
            "%(when)s, %(city)s registró %(count)s acción aprobada, %(difference)s más que %(previous_when)s.",
            "%(when)s, %(city)s registró %(count)s acciones aprobadas, %(difference)s más que %(previous_when)s.",
            change.current,
        )
    else:
        sentence = ngettext(
            "%(when)s, %(city)s registró %(count)s acción aprobada, %(difference)s menos que %(previous_when)s.",
            "%(when)s, %(city)s registró %(count)s acciones aprobadas, %(difference)s menos que %(previous_when)s.",
            change.current,
        )
    return capfirst(sentence % values)


def _people(totals):
    """People reached, then the women, young people, people with disabilities, indigenous and
    Afro-descendant people among them (when there is more than one). A report written before the
    last three were counted has them as None: not named."""
    people = totals["people"]
    if not people:
        return ""
    sentence = ngettext(
        "En total se alcanzó a %(people)s persona.", "En total se alcanzó a %(people)s personas.", people
    ) % {"people": _number(people)}
    among = [
        phrase % {"n": _number(totals[key])}
        for key, phrase in (
            ("women", ngettext("%(n)s mujer", "%(n)s mujeres", totals["women"])),
            ("youth", ngettext("%(n)s joven", "%(n)s jóvenes", totals["youth"])),
            (
                "disability",
                ngettext(
                    "%(n)s persona con discapacidad", "%(n)s personas con discapacidad", totals["disability"] or 0
                ),
            ),
            ("indigenous", ngettext("%(n)s persona indígena", "%(n)s personas indígenas", totals["indigenous"] or 0)),
            (
                "afro",
                ngettext("%(n)s persona afrodescendiente", "%(n)s personas afrodescendientes", totals["afro"] or 0),
            ),
        )
        if totals[key]
    ]
    if people > 1 and among:
        sentence += " " + gettext("Entre ellas, %(groups)s.") % {"groups": _enumeration(among)}
    return sentence


def _busiest_axes(axes, count):
    """The axis with the most approved actions, all of them in one axis, or the axes tied first."""
    top = max(axis["approved"] for axis in axes)
    first = [axis for axis in axes if axis["approved"] == top]
    if len(first) > 1:
        return ngettext(
            "Los ejes %(numbers)s empatan con %(count)s acción cada uno.",
            "Los ejes %(numbers)s empatan con %(count)s acciones cada uno.",
            top,
        ) % {"numbers": _enumeration(str(axis["number"]) for axis in first), "count": _number(top)}
    values = {"number": first[0]["number"], "name": first[0]["name"], "count": _number(top)}
    if top == count:
        return (
            ngettext(
                "La acción aprobada es del eje %(number)s, «%(name)s».",
                "Las %(count)s acciones aprobadas son del eje %(number)s, «%(name)s».",
                count,
            )
            % values
        )
    return (
        ngettext(
            "El eje con más acciones aprobadas fue el %(number)s, «%(name)s», con %(count)s.",
            "El eje con más acciones aprobadas fue el %(number)s, «%(name)s», con %(count)s.",
            top,
        )
        % values
    )


def _gaps(gaps):
    if not gaps:
        return gettext("Todos los compromisos tuvieron al menos una acción aprobada.")
    return ngettext(
        "El compromiso %(codes)s no tuvo acciones aprobadas.",
        "%(count)s compromisos no tuvieron acciones aprobadas: %(codes)s.",
        len(gaps),
    ) % {"count": _number(len(gaps)), "codes": _enumeration(entry["code"] for entry in gaps)}


def _practices(practices):
    """What the city published and replicated in the period, a sentence each; nothing when it did
    neither, or when the report was written before practices were counted (None)."""
    if not practices:
        return []
    published, started, done = (practices[key] for key in ("published", "replications_started", "replications_done"))
    sentences = [
        (
            published,
            ngettext(
                "La ciudad publicó %(count)s buena práctica.",
                "La ciudad publicó %(count)s buenas prácticas.",
                published,
            ),
        ),
        (
            started,
            ngettext(
                "Empezó a replicar %(count)s práctica de otra ciudad.",
                "Empezó a replicar %(count)s prácticas de otras ciudades.",
                started,
            ),
        ),
        (
            done,
            ngettext("Completó la réplica de %(count)s práctica.", "Completó la réplica de %(count)s prácticas.", done),
        ),
    ]
    return [sentence % {"count": _number(count)} for count, sentence in sentences if count]


def _target_status_phrase(status, n):
    phrases = {
        TargetStatus.ON_TRACK: ngettext("%(n)s va en camino", "%(n)s van en camino", n),
        TargetStatus.AT_RISK: ngettext("%(n)s está en riesgo", "%(n)s están en riesgo", n),
        TargetStatus.OFF_TRACK: ngettext("%(n)s está fuera de camino", "%(n)s están fuera de camino", n),
        TargetStatus.ACHIEVED: ngettext("%(n)s ya se alcanzó", "%(n)s ya se alcanzaron", n),
    }
    return phrases[status] % {"n": _number(n)}


def _targets(counts):
    """The city's targets by status: each count with its own verb, zero counts left out."""
    total = sum(counts.values())
    if not total:
        return ""
    present_statuses = [status for status in TARGET_STATUS_ORDER if counts.get(status)]
    if total == 1:
        return {
            TargetStatus.ON_TRACK: gettext("La única meta de la ciudad va en camino."),
            TargetStatus.AT_RISK: gettext("La única meta de la ciudad está en riesgo."),
            TargetStatus.OFF_TRACK: gettext("La única meta de la ciudad está fuera de camino."),
            TargetStatus.ACHIEVED: gettext("La única meta de la ciudad ya se alcanzó."),
        }[present_statuses[0]]
    if len(present_statuses) == 1:
        return {
            TargetStatus.ON_TRACK: ngettext("La meta va en camino.", "Las %(total)s metas van en camino.", total),
            TargetStatus.AT_RISK: ngettext("La meta está en riesgo.", "Las %(total)s metas están en riesgo.", total),
            TargetStatus.OFF_TRACK: ngettext(
                "La meta está fuera de camino.", "Las %(total)s metas están fuera de camino.", total
            ),
            TargetStatus.ACHIEVED: ngettext("La meta ya se alcanzó.", "Las %(total)s metas ya se alcanzaron.", total),
        }[present_statuses[0]] % {"total": _number(total)}
    return ngettext("De %(total)s meta, %(statuses)s.", "De %(total)s metas, %(statuses)s.", total) % {
        "total": _number(total),
        "statuses": _enumeration(_target_status_phrase(status, counts[status]) for status in present_statuses),
    }
