"""Admin: a city's hazard events and the actions that answer them are the city's records,
written on the site through hazards.services by its ambassador; admins read them here with
their audit trail."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_forms import ReadOnlyInline
from core.history import ReadOnlyHistoryAdmin

from .models import HazardEvent, HazardResponse


class ResponseInline(ReadOnlyInline):
    """The actions linked to the event (through HazardResponse.events)."""

    model = HazardResponse.events.through
    fields = ["hazardresponse"]
    verbose_name = _("acción vinculada")
    verbose_name_plural = _("acciones vinculadas")


@admin.register(HazardEvent)
class HazardEventAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "city", "hazard", "started_on", "ended_on", "people_affected", "deaths", "missing"]
    # Only the cities with events: the gazetteer holds thousands.
    list_filter = [
        "hazard",
        "city__country",
        ("city", admin.RelatedOnlyFieldListFilter),
        ("started_on", admin.DateFieldListFilter),
    ]
    list_select_related = ["city"]
    search_fields = ["title", "area", "city__name"]
    date_hierarchy = "started_on"
    inlines = [ResponseInline]


@admin.register(HazardResponse)
class HazardResponseAdmin(ReadOnlyHistoryAdmin):
    list_display = ["action", "phase", "hazard", "city"]
    list_filter = ["phase", "hazard", "action__city__country"]
    list_select_related = ["action__city"]
    search_fields = ["action__title", "action__city__name"]

    @admin.display(description=_("ciudad"), ordering="action__city__name")
    def city(self, response):
        return response.action.city.name
