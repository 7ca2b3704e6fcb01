"""The gate: a current ambassador who has not accepted the current wording of the commitments
opens nothing of the site but the acceptance page and what anyone may open."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from .services import has_accepted

# Pages open to everyone, by URL name: the public pages, the verification of a letter, and the
# gate's own page. Whole sections open by their prefix, below.
OPEN_NAMES = frozenset(
    {
        "home",
        "healthz",
        "metrics",
        "public:network",
        "public:city",
        "appointments:accept",
        "appointments:verify_form",
        "appointments:verify",
        "offline:service_worker",
        "offline:manifest",
    }
)
# Sections open by the first part of a URL of theirs: the accounts (login, logout, passwords,
# the second factor) and the language switch.
OPEN_SECTIONS = ("login", "set_language")


class AcceptanceRequiredMiddleware:
    """Sends a current ambassador who has not accepted the current wording of the commitments
    to /nombramiento/compromisos/ (pages), or answers 403 (the API, JSON requests). The check
    is one query shared with roles_of, and none for pages open to all or anonymous visitors."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    @cached_property
    def open_prefixes(self):
        sections = ["/" + reverse(name).strip("/").split("/")[0] + "/" for name in OPEN_SECTIONS]
        files = ["/" + url.lstrip("/") for url in (settings.STATIC_URL, settings.MEDIA_URL) if url]
        return tuple(sections + files)

    @cached_property
    def api_prefix(self):
        return reverse("api:schema").rsplit("/", 2)[0] + "/v1/"  # the JSON API, not /api/tokens/

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        match = request.resolver_match
        if (match and match.view_name in OPEN_NAMES) or request.path_info.startswith(self.open_prefixes):
            return None
        if has_accepted(request.user):
            return None
        message = _("Acepte primero las funciones y compromisos de su nombramiento.")
        wants_json = request.accepts("application/json") and not request.accepts("text/html")
        if request.path_info.startswith(self.api_prefix) or wants_json:
            return JsonResponse({"detail": message}, status=403)
        url = reverse("appointments:accept")
        if request.method in ("GET", "HEAD"):
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)
