"""Admin: practices and replications are their cities' records and change only on the site,
through the services (admin reads them, and puts practices forward); exchanges admins may correct."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_forms import ReadOnlyInline
from core.history import HistoryAdmin, ReadOnlyHistoryAdmin

from . import services
from .models import Exchange, PartnerCity, Practice, PracticeGoal, PracticeStatusChange, Replication, ReplicationAction


class PracticeGoalInline(ReadOnlyInline):
    model = PracticeGoal
    fields = ["goal"]


class PracticeStatusChangeInline(ReadOnlyInline):
    model = PracticeStatusChange
    fields = ["at", "from_status", "to_status", "by", "comment"]


@admin.register(Practice)
class PracticeAdmin(ReadOnlyHistoryAdmin):
    """View only, but for "featured": a practice changes through its city and its review."""

    list_display = ["title", "city", "status", "featured", "published_at"]
    list_filter = ["status", "featured", "commitments", "city__country"]
    list_select_related = ["city"]
    search_fields = ["title", "city__name", "author__user__username"]
    date_hierarchy = "created_at"
    inlines = [PracticeGoalInline, PracticeStatusChangeInline]
    actions = ["feature", "unfeature"]

    @admin.action(description=_("Destacar las prácticas elegidas"), permissions=["view"])
    def feature(self, request, queryset):
        for practice in queryset.filter(status=Practice.Status.PUBLISHED):
            services.practice_feature(practice=practice, by=request.user, featured=True)

    @admin.action(description=_("Dejar de destacar las prácticas elegidas"), permissions=["view"])
    def unfeature(self, request, queryset):
        for practice in queryset.filter(status=Practice.Status.PUBLISHED):
            services.practice_feature(practice=practice, by=request.user, featured=False)


class ReplicationActionInline(ReadOnlyInline):
    model = ReplicationAction
    fields = ["action", "completes", "linked_at"]


@admin.register(Replication)
class ReplicationAdmin(ReadOnlyHistoryAdmin):
    """View only: a replication is its city's ambassador's record, changed on the site."""

    list_display = ["practice", "city", "started_at"]
    list_filter = ["city__country"]
    list_select_related = ["practice", "city"]
    search_fields = ["practice__title", "city__name"]
    inlines = [ReplicationActionInline]


class PartnerCityInline(admin.TabularInline):
    model = PartnerCity
    extra = 0
    fields = ["name", "country"]


@admin.register(Exchange)
class ExchangeAdmin(HistoryAdmin):
    list_display = ["title", "kind", "started_on"]
    list_filter = ["kind"]
    search_fields = ["title", "description"]
    date_hierarchy = "started_on"
    filter_horizontal = ["cities", "practices"]
    raw_id_fields = ["created_by"]
    inlines = [PartnerCityInline]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "practices":  # as on the site: an exchange spreads published practices only
            kwargs["queryset"] = Practice.objects.published()
        return super().formfield_for_manytomany(db_field, request, **kwargs)
