"""The second factor for the REST API (ambassadors/twofactor.py): SecondFactorMiddleware sees only
a session's user; a token's user is known only inside DRF's view, so this permission, among the
default ones (config/settings.py), checks both."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from ambassadors import twofactor
from ambassadors.scope import roles_of

from .models import ApiToken


class SecondFactorPassed(BasePermission):
    """A token of someone who must have a second factor (an admin, staff, a coordinator) works
    only while they have one: a token made before, or kept after its removal, opens nothing
    (removing the device revokes the tokens too, api/signals.py). A session works only once it
    has passed the second factor, when its user needs one."""

    message = _("Active primero la verificación en dos pasos de su cuenta.")

    def has_permission(self, request, view):
        user = request.user
        if not user.is_authenticated:
            return True
        if isinstance(request.auth, ApiToken):  # no query of its own: the roles are the request's
            roles = roles_of(user)
            return roles.has_second_factor or not (user.is_superuser or user.is_staff or roles.is_coordinator)
        return twofactor.session_verified(request) or not twofactor.needed_by(user)
