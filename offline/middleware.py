from django.utils.cache import patch_cache_control

from . import rules

# Read by static/js/offline.js on the page after a logout: it clears what Clear-Site-Data may
# have left (a browser that does not know the header).
SIGNED_OUT_COOKIE = "omcs_signed_out"


class OfflineMiddleware:
    """Marks the pages a phone may keep for reading offline (offline.rules), and at logout tells
    the browser to forget every page and draft it kept: Clear-Site-Data takes the caches, the
    IndexedDB drafts and the service worker; the cookie has the next page's script do it too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = request.resolver_match
        if match is None:
            return response
        if request.method == "POST" and match.url_name == "logout" and response.status_code < 400:
            response.headers["Clear-Site-Data"] = '"cache", "storage"'
            response.set_cookie(SIGNED_OUT_COOKIE, "1", max_age=600, samesite="Lax", secure=request.is_secure())
        elif request.method != "GET":
            return response
        elif (
            response.status_code == 200
            and response.get("Content-Type", "").startswith("text/html")
            and rules.may_keep(request.user, match)
        ):
            response.headers[rules.HEADER] = "1"
            # A person's own pages: no shared cache keeps them, nor the browser's own (the service
            # worker keeps its copy through the Cache API, which this does not stop).
            patch_cache_control(response, private=True, no_store=True)
        elif rules.no_longer_keeps(request.user, match):
            response.headers[rules.FORGET_HEADER] = "1"
        return response
