"""The login's device cookie, set on the response of a successful login (ambassadors/access.py)."""

from . import access


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
