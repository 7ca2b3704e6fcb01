"""The gate for the REST API: a token's user is known only inside DRF's view, after the
middleware has run (config/settings.py lists this among the default permissions)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from .services import has_accepted


class CommitmentsAccepted(BasePermission):
    message = _("Acepte primero las funciones y compromisos de su nombramiento.")

    def has_permission(self, request, view):
        return not request.user.is_authenticated or has_accepted(request.user)
