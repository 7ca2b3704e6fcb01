"""The kinds of action, and the check of the kinds a commitment offers."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionKind(models.TextChoices):
    """What sort of work an action is. A general action has only the action's own fields; every
    other kind adds its details, kept by the app that owns them (commitments.kinds)."""

    GENERAL = "general", _("General")
    TRAINING = "training", _("Formación")
    PARTICIPATION = "participation", _("Mecanismo de participación")
    POLICY = "policy", _("Política pública")
    EXCHANGE = "exchange", _("Intercambio entre ciudades")
    HAZARD_RESPONSE = "hazard_response", _("Preparación o respuesta ante un evento")


def validate_offered_kinds(value):
    if not isinstance(value, list) or not all(kind in ActionKind.values for kind in value):
        raise ValidationError(_("Elija tipos de acción de la lista."), code="invalid_kinds")
