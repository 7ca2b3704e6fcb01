from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.history import HistoryAdmin

from . import access, services
from .models import AccessAttempt, Ambassador, City, Coordinator, Country


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "subregion"]
    list_filter = ["subregion"]
    search_fields = ["code"]

    @admin.display(description=_("nombre"))
    def name(self, country):
        return country.name


@admin.register(City)
class CityAdmin(HistoryAdmin):
    list_display = ["name", "region", "country", "population", "time_zone"]
    list_filter = ["country__subregion", "country"]
    list_select_related = ["country"]
    search_fields = ["name", "region", "country__code"]
    autocomplete_fields = ["country"]
    ordering = ["country", "-population"]
    fieldsets = [
        (None, {"fields": ["name", "region", "country"]}),
        (_("Datos geográficos"), {"fields": [("latitude", "longitude"), "population", "time_zone", "geoname_id"]}),
    ]


class AppointmentForm(forms.ModelForm):
    """The add form: the same rules as the appointment service, shown on the fields."""

    class Meta:
        model = Ambassador
        fields = ["user", "city", "appointed_on", "term_ends_on"]

    def clean(self):
        data = super().clean()
        if all(data.get(field) for field in ("user", "city", "appointed_on")):
            try:
                services.ambassador_appointment_validate(
                    city=data["city"],
                    user=data["user"],
                    appointed_on=data["appointed_on"],
                    term_ends_on=data.get("term_ends_on"),
                )
            except ValidationError as error:
                self.add_error(None, error)
        return data


class TermForm(forms.ModelForm):
    """The change form: only the end of the term changes here, with the service's rule."""

    class Meta:
        model = Ambassador
        fields = ["term_ends_on"]

    def clean(self):
        data = super().clean()
        term_ends_on = data.get("term_ends_on")
        if term_ends_on is not None and term_ends_on < self.instance.appointed_on:
            self.add_error("term_ends_on", _("El fin del periodo no puede ser anterior al nombramiento."))
        return data


@admin.register(Ambassador)
class AmbassadorAdmin(HistoryAdmin):
    """Appointments go through the services, so groups and the city's history stay right.

    Appointing a new ambassador to a city ends the current appointment that day; the ended
    one stays as history. Status changes are the list's actions.
    """

    list_display = ["user", "city", "status", "appointed_on", "term_ends_on", "ended_on"]
    list_filter = ["status", "city__country"]
    list_select_related = ["user", "city"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "city__name"]
    autocomplete_fields = ["user", "city"]
    date_hierarchy = "appointed_on"
    actions = ["end_appointments", "pause_appointments", "resume_appointments"]

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = AppointmentForm if obj is None else TermForm
        return super().get_form(request, obj, **kwargs)

    def has_delete_permission(self, request, obj=None):
        # An appointment is history: end it (the list's action), never delete it.
        return False

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "city", "appointed_on", "term_ends_on"]
        return ["user", "city", "status", "appointed_on", "term_ends_on", "ended_on"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["user", "city", "status", "appointed_on", "ended_on"]

    def save_model(self, request, obj, form, change):
        if change:
            services.ambassador_set_term(ambassador=obj, term_ends_on=obj.term_ends_on)
            return
        appointed = services.ambassador_appoint(
            city=obj.city, user=obj.user, appointed_on=obj.appointed_on, term_ends_on=obj.term_ends_on
        )
        obj.pk, obj.status = appointed.pk, appointed.status

    def _apply(self, request, queryset, change, done_message):
        changed = 0
        for ambassador in queryset.select_related("user", "city"):
            try:
                change(ambassador)
            except ValidationError as error:
                self.message_user(request, f"{ambassador}: {' '.join(error.messages)}", messages.ERROR)
            else:
                changed += 1
        if changed:
            self.message_user(request, done_message(changed), messages.SUCCESS)

    @admin.action(description=_("Terminar nombramiento (hoy)"))
    def end_appointments(self, request, queryset):
        today = timezone.localdate()
        self._apply(
            request,
            queryset,
            lambda ambassador: services.ambassador_end(ambassador=ambassador, ended_on=today),
            lambda n: ngettext("%(n)d nombramiento terminado.", "%(n)d nombramientos terminados.", n) % {"n": n},
        )

    @admin.action(description=_("Pausar nombramiento"))
    def pause_appointments(self, request, queryset):
        self._apply(
            request,
            queryset,
            lambda ambassador: services.ambassador_set_paused(ambassador=ambassador, paused=True),
            lambda n: ngettext("%(n)d nombramiento en pausa.", "%(n)d nombramientos en pausa.", n) % {"n": n},
        )

    @admin.action(description=_("Reanudar nombramiento"))
    def resume_appointments(self, request, queryset):
        self._apply(
            request,
            queryset,
            lambda ambassador: services.ambassador_set_paused(ambassador=ambassador, paused=False),
            lambda n: ngettext("%(n)d nombramiento reanudado.", "%(n)d nombramientos reanudados.", n) % {"n": n},
        )


@admin.register(Coordinator)
class CoordinatorAdmin(HistoryAdmin):
    """A coordinator's scope is saved, and removed, by the scope services: they keep the role
    groups in step."""

    list_display = ["user", "country_codes", "active"]
    list_filter = ["active", "countries"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["countries"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("countries")

    @admin.display(description=_("países"))
    def country_codes(self, coordinator):
        return ", ".join(country.pk for country in coordinator.countries.all())

    def get_readonly_fields(self, request, obj=None):
        # The scope belongs to one person: to give it to another, create a new coordinator.
        return ["user"] if obj else []

    def save_model(self, request, obj, form, change):
        saved = services.coordinator_set_scope(
            user=obj.user, countries=form.cleaned_data["countries"], active=obj.active, by=request.user
        )
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        """The countries were saved with the scope (save_model); there are no inlines."""

    def delete_model(self, request, obj):
        services.coordinator_delete(coordinator=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for coordinator in queryset.select_related("user"):
            services.coordinator_delete(coordinator=coordinator, by=request.user)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(admin.ModelAdmin):
    """Failed logins and reset requests. Selecting a locked-out person's failures and running
    "unlock" lets them in again at once."""

    list_display = ["attempted_at", "kind", "username", "ip_address"]
    list_filter = ["kind"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempted_at"
    actions = ["unlock"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Desbloquear a estas personas y direcciones"), permissions=["delete"])
    def unlock(self, request, queryset):
        usernames = set(queryset.values_list("username", flat=True))
        addresses = set(queryset.exclude(ip_address=None).values_list("ip_address", flat=True))
        forgotten = access.unlock(usernames=usernames, ip_addresses=addresses)
        self.message_user(
            request,
            ngettext(
                "Desbloqueado: se olvidó %(count)d intento fallido.",
                "Desbloqueado: se olvidaron %(count)d intentos fallidos.",
                forgotten,
            )
            % {"count": forgotten},
            messages.SUCCESS,
        )
