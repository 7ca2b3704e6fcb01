"""Admin: a city's public page is switched on and off here (and its address corrected); the
writes go through public.services, with the audit trail."""

from django.contrib import admin

from core.history import HistoryAdmin

from . import services
from .forms import PublicPageAdminForm
from .models import PublicPage


@admin.register(PublicPage)
class PublicPageAdmin(HistoryAdmin):
    form = PublicPageAdminForm
    list_display = ["city", "slug", "status", "requested_at", "decided_at"]
    list_filter = ["status", "city__country"]
    list_select_related = ["city"]
    search_fields = ["slug", "city__name"]
    autocomplete_fields = ["city"]
    readonly_fields = ["status", "requested_by", "requested_at", "decided_by", "decided_at", "comment"]

    def get_fields(self, request, obj=None):
        fields = ["city", "slug", "published"]
        return [*fields, *self.readonly_fields] if obj else fields

    def get_readonly_fields(self, request, obj=None):
        return ["city", *self.readonly_fields] if obj else []

    def save_model(self, request, obj, form, change):
        saved = services.page_admin_save(
            city=obj.city,
            slug=form.cleaned_data["slug"],
            published=form.cleaned_data["published"],
            by=request.user,
            page=obj if change else None,
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.page_delete(page=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for page in queryset:
            services.page_delete(page=page, by=request.user)
