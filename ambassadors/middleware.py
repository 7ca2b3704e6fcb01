"""The login's device cookie (ambassadors/access.py) and the second factor's gate (ambassadors/twofactor.py)."""

from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from . import access, twofactor
from .scope import roles_of


class LoginDeviceMiddleware:
    """After a login form accepted a password (LockoutMixin marks the request), the response
    gives the browser a device cookie for that username, so the address's slowdown, which
    someone else behind the same address may have set off, never keeps it out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        username = getattr(request, "login_device_username", None)
        if username:
            access.login_device_remember(response, username=username)
        return response


class SecondFactorMiddleware:
    """The one place the second factor is enforced (ambassadors/twofactor.py): an authenticated
    session that has not passed it, of someone who needs it (an admin, staff, a coordinator, or
    anyone who set one up), opens nothing but the code step (with a device) or the setup page
    (without one), the logout, the language switch and static files; every other request, GET
    or POST (an approval, the admin), is sent there. A session that has passed it costs no query;
    one that has not costs the user's roles, which the page reads anyway."""

    OPEN_NAMES = ("logout", "login", "login_code", "twofactor_setup")
    OPEN_PREFIXES = ("/i18n/", "/static/", "/healthz", "/metrics", "/sw.js", "/manifest.webmanifest")
    API_PREFIX = "/api/v1/"  # answers JSON, not the HTML redirect

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        redirect = self._redirect(request)
        return redirect or self.get_response(request)

    def _redirect(self, request):
        if twofactor.session_verified(request) or not request.user.is_authenticated:
            return None
        path = request.path_info
        if path.startswith(self.OPEN_PREFIXES) or path in {reverse(name) for name in self.OPEN_NAMES}:
            return None
        if not twofactor.needed_by(request.user):
            return None
        if path.startswith(self.API_PREFIX):
            message = _("Complete primero la verificación en dos pasos.")
            return JsonResponse({"detail": message}, status=403)
        target = "login_code" if roles_of(request.user).has_second_factor else "twofactor_setup"
        return redirect_to_login(request.get_full_path(), reverse(target))
