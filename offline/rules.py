"""Which pages a phone may keep to read without a connection: one place, read by the middleware
(which marks them) and by the service worker's routes (which only ever keep marked pages).

Only an ambassador's own pages, read with GET: "Mi ciudad" (their city's progress), "Mis
acciones", their actions and the forms to log one, and the catalogue. Never another city's page,
never a coordinator's cross-city pages, never the answer to a POST.
"""

from django.urls import reverse

from ambassadors.scope import roles_of

# The header the service worker looks for before it keeps a page (static/js/offline sw).
HEADER = "X-Offline-Page"
# The header that has the service worker forget every page it kept (no_longer_keeps).
FORGET_HEADER = "X-Offline-Forget"

# URL name → the keyword argument that must be the ambassador's own city, or None.
PAGES = {
    "home": None,
    "commitments:actions": None,
    "commitments:action": None,
    "commitments:action_edit": None,
    "commitments:action_choose": None,
    "commitments:action_create": None,
    "reports:my_city": None,
    "reports:city_progress": "pk",
}


def may_keep(user, match):
    """Whether the page `match` (a ResolverMatch) may be kept on this user's phone. Actions are in
    scope already (the view answered 200): an ambassador's scope is their own city."""
    if match.view_name not in PAGES:
        return False
    roles = roles_of(user)
    if not roles.is_ambassador or roles.ambassador_city_id is None:
        return False
    own = PAGES[match.view_name]
    return own is None or match.kwargs.get(own) == roles.ambassador_city_id


def no_longer_keeps(user, match):
    """Whether a phone that asks for the kept page `match` must forget every page it kept: the
    person is no longer an ambassador in office in a city (the appointment ended, paused…), so
    nothing they kept may still be read offline. Another city's page only is not kept."""
    if match.view_name not in PAGES:
        return False
    roles = roles_of(user)
    return not roles.is_ambassador or roles.ambassador_city_id is None


def path_patterns():
    """The kept pages' paths as JavaScript regular expressions (the service worker routes only
    these navigations): each page's path with its whole-number arguments as digits."""
    patterns = []
    for name, _own in PAGES.items():
        sample = reverse(name, kwargs=_sample_kwargs(name))
        patterns.append("^" + sample.replace("/987654321/", "/\\d+/") + "$")
    return patterns


def _sample_kwargs(name):
    return {
        "commitments:action": {"pk": 987654321},
        "commitments:action_edit": {"pk": 987654321},
        "commitments:action_create": {"commitment_pk": 987654321},
        "reports:city_progress": {"pk": 987654321},
    }.get(name, {})
