"""The coordinator's other pages that bench.pages times (beside the overview and "Mi ciudad",
which have a floor of their own): each list with its default filters, and a detail page of the
busiest city where the list has one. No floor: these are judged at 1M against their time at 10k.

A page whose address redirects (a city's plan goes to its version in force) is measured at the
address it lands on; a detail page with nothing to show in the seeded data (no practice, no
exchange) is left out and says why.
"""

from urllib.parse import urlsplit

MAX_REDIRECTS = 3


def _latest(queryset):
    found = queryset.order_by("-pk").values_list("pk", flat=True).first()
    return None if found is None else [found]


def _busiest_action(user, city_id):
    from commitments.models import Action

    return _latest(Action.objects.visible_to(user).filter(city_id=city_id, status="approved"))


def _busiest_opportunity(user, city_id):
    from funding.models import Opportunity

    return _latest(Opportunity.objects.visible_to(user).filter(city_id=city_id))


def _a_practice(user, _city_id):
    from practices.models import Practice

    return _latest(Practice.objects.visible_to(user))


def _an_exchange(_user, _city_id):
    from practices.models import Exchange

    return _latest(Exchange.objects.all())  # the network's exchanges are read by every member


def _city(_user, city_id):
    return [city_id]


# name: (URL name, its arguments: None for a list, else a function (user, busiest city id) ->
# args or None when there is nothing to show).
PAGES = {
    "cities": ("reports:cities", None),
    "review_times": ("reports:review_times", None),
    "review_queue": ("commitments:review_queue", None),
    "reports": ("reports:reports", None),
    "actions": ("commitments:actions", None),
    "action": ("commitments:action", _busiest_action),
    "city": ("ambassadors:city", _city),
    "city_directory": ("ambassadors:cities", None),
    "practices": ("practices:list", None),
    "practice": ("practices:practice", _a_practice),
    "exchanges": ("exchanges:list", None),
    "exchange": ("exchanges:exchange", _an_exchange),
    "funding": ("funding:index", None),
    "funding_board": ("funding:board", _city),
    "opportunity": ("funding:opportunity", _busiest_opportunity),
    "funding_plan": ("funding:city_plan", _city),
    "hazards": ("hazards:events", None),
    "terms": ("terms:terms", None),
}


def _landing(client, path):
    """Where `path` lands once its redirects are followed (at most MAX_REDIRECTS)."""
    for _redirect in range(MAX_REDIRECTS):
        response = client.get(path, secure=True)
        if response.status_code not in (301, 302):
            return path
        path = urlsplit(response["Location"]).path
    return path


def paths(client, user, city_id):
    """{name: path or None} and {name: why it is left out}, for the pages of PAGES."""
    from django.urls import reverse

    chosen, left_out = {}, {}
    for name, (url_name, arguments) in PAGES.items():
        args = [] if arguments is None else arguments(user, city_id)
        if args is None:
            left_out[name] = "nothing to show in this database"
            continue
        chosen[name] = _landing(client, reverse(url_name, args=args))
    return chosen, left_out
