import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from simple_history.models import HistoricalRecords

from core.validators import validate_single_line

AMBASSADORS_GROUP = "Embajadores"
COORDINATORS_GROUP = "Coordinadores"


def validate_country_code(value):
    if value not in countries:
        raise ValidationError(_("«%(value)s» no es un código de país ISO 3166."), params={"value": value})


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("«%(value)s» no es una zona horaria IANA válida."), params={"value": value})


class Country(models.Model):
    """A country of Latin America and the Caribbean; its name follows the active language."""

    class Subregion(models.TextChoices):
        # UN M49 subregions of Latin America and the Caribbean.
        CARIBBEAN = "caribbean", _("Caribe")
        CENTRAL_AMERICA = "central_america", _("Centroamérica y México")
        SOUTH_AMERICA = "south_america", _("Sudamérica")

    # The ISO 3166 code is the key, so city.country_id names the country without a query.
    code = models.CharField(_("código ISO 3166"), max_length=2, primary_key=True, validators=[validate_country_code])
    subregion = models.CharField(_("subregión"), max_length=20, choices=Subregion)

    class Meta:
        ordering = ["code"]
        verbose_name = _("país")
        verbose_name_plural = _("países")

    def __str__(self):
        return self.name

    @property
    def name(self):
        """The country's name in the active language (django-countries)."""
        return countries.name(self.code)


class CityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The cities this user may see. Every page and export of the project starts here."""
        from .scope import city_scope_filter

        return self.filter(city_scope_filter(user))

    def in_network(self):
        """Cities that have, or had, an OMCS ambassador: the ones lists and dashboards show."""
        return self.filter(models.Exists(Ambassador.objects.filter(city=models.OuterRef("pk"))))


class City(models.Model):
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="cities", verbose_name=_("país"))
    name = models.CharField(_("nombre"), max_length=200, validators=[validate_single_line])
    region = models.CharField(
        _("región"),
        max_length=200,
        blank=True,
        help_text=_("Estado, provincia o departamento."),
        validators=[validate_single_line],
    )
    latitude = models.DecimalField(_("latitud"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitud"), max_digits=8, decimal_places=5, null=True, blank=True)
    population = models.PositiveIntegerField(_("población"), null=True, blank=True)
    time_zone = models.CharField(
        _("zona horaria"), max_length=64, default="America/Mexico_City", validators=[validate_time_zone]
    )
    geoname_id = models.PositiveIntegerField(
        _("id de GeoNames"), unique=True, null=True, blank=True, help_text=_("Identificador del nomenclátor GeoNames.")
    )

    objects = CityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("ciudad")
        verbose_name_plural = _("ciudades")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="city_latitude_in_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="city_longitude_in_range",
            ),
        ]
        indexes = [
            # Admin autocomplete and the city lists: cities of a country by name.
            models.Index(fields=["country", "name"], name="city_country_name_idx"),
        ]

    def __str__(self):
        # country_id is the ISO code, so this costs no query.
        return f"{self.name} ({self.country_id})"


class AmbassadorQuerySet(models.QuerySet):
    def current(self):
        """Appointments in force: active or paused, not ended."""
        return self.exclude(status=Ambassador.Status.ENDED)


class Ambassador(models.Model):
    """An appointment of a person as the OMCS ambassador of a city.

    A city's earlier ambassadors stay as ended rows, so the history of who held the post,
    and when, is kept.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Activo")
        PAUSED = "paused", _("En pausa")
        ENDED = "ended", _("Terminado")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ambassadorships", verbose_name=_("persona")
    )
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="ambassadors", verbose_name=_("ciudad"))
    appointed_on = models.DateField(_("nombrado el"))
    term_ends_on = models.DateField(_("fin del periodo"), null=True, blank=True)
    status = models.CharField(_("estado"), max_length=10, choices=Status, default=Status.ACTIVE)
    ended_on = models.DateField(_("terminó el"), null=True, blank=True)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    objects = AmbassadorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["city", "-appointed_on"]
        verbose_name = _("embajador")
        verbose_name_plural = _("embajadores")
        constraints = [
            models.UniqueConstraint(
                fields=["city"],
                condition=~Q(status="ended"),
                name="ambassador_one_current_per_city",
                violation_error_message=_(
                    "Esta ciudad ya tiene un embajador en funciones: termine primero ese nombramiento."
                ),
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=~Q(status="ended"),
                name="ambassador_one_current_post_per_user",
                violation_error_message=_("Esta persona ya es embajadora de otra ciudad."),
            ),
            models.CheckConstraint(
                condition=Q(term_ends_on__isnull=True) | Q(term_ends_on__gte=models.F("appointed_on")),
                name="ambassador_term_ends_after_appointment",
                violation_error_message=_("El fin del periodo no puede ser anterior al nombramiento."),
            ),
            models.CheckConstraint(
                condition=(Q(status="ended") & Q(ended_on__isnull=False))
                | (~Q(status="ended") & Q(ended_on__isnull=True)),
                name="ambassador_ended_on_iff_ended",
                violation_error_message=_("Solo un nombramiento terminado tiene fecha de término, y siempre la tiene."),
            ),
        ]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.get_username()} · {self.city}"


class Coordinator(models.Model):
    """A person who reviews and reads across the countries they coordinate."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coordinator", verbose_name=_("persona")
    )
    countries = models.ManyToManyField(
        Country, related_name="coordinators", blank=True, verbose_name=_("países que coordina")
    )
    active = models.BooleanField(_("activo"), default=True)
    history = HistoricalRecords(m2m_fields=["countries"])

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("coordinador")
        verbose_name_plural = _("coordinadores")

    def __str__(self):
        return self.user.get_full_name() or self.user.get_username()


class AccessAttempt(models.Model):
    """A failed login or a password-reset request: what the lockout and the rate limits count.
    Kept in the database so every web process sees the same counts, with or without Redis."""

    class Kind(models.TextChoices):
        LOGIN_FAILED = "login_failed", _("inicio de sesión fallido")
        PASSWORD_RESET = "password_reset", _("solicitud de nueva contraseña")

    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    # As typed (lower-cased): the account may not exist, and saying so would help an attacker.
    username = models.CharField(_("usuario o correo"), max_length=254, blank=True)
    ip_address = models.GenericIPAddressField(_("dirección IP"), null=True, blank=True)
    attempted_at = models.DateTimeField(_("cuándo"), db_index=True)

    class Meta:
        verbose_name = _("intento de acceso")
        verbose_name_plural = _("intentos de acceso")
        indexes = [
            # access.login_locked() and password_reset_refusal(): recent attempts of one kind for one
            # name, or from one address.
            models.Index(fields=["kind", "username", "attempted_at"], name="accessattempt_name_idx"),
            models.Index(fields=["kind", "ip_address", "attempted_at"], name="accessattempt_ip_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.username or '-'} ({self.ip_address or '-'})"


class AccessCounter(models.Model):
    """What one limit has counted for one key in its current window: failed logins per username,
    per (username, address) and per address; report requests per person. One row per limit and
    key, raised by conditional UPDATEs (ambassadors/access.py), so that requests running in
    parallel never pass a limit, in every process, with or without Redis."""

    class Limit(models.TextChoices):
        LOGIN_USERNAME = "login_username", _("inicios de sesión fallidos por usuario")
        LOGIN_PAIR = "login_pair", _("inicios de sesión fallidos por usuario y dirección")
        LOGIN_ADDRESS = "login_address", _("inicios de sesión fallidos por dirección")
        REPORT_REQUEST = "report_request", _("informes pedidos por persona")
        LETTER_CHECK = "letter_check", _("verificaciones de cartas por dirección")

    limit = models.CharField(_("límite"), max_length=20, choices=Limit.choices)
    # The key: a lower-cased username, an address, or both; "" where the limit has none.
    username = models.CharField(_("usuario"), max_length=254, blank=True)
    ip_address = models.CharField(_("dirección IP"), max_length=45, blank=True)
    window_started_at = models.DateTimeField(_("inicio del periodo"))
    count = models.PositiveIntegerField(_("cuenta"), default=0)
    # An address slowed down after many failures may try again from then on.
    next_attempt_at = models.DateTimeField(_("próximo intento"), null=True, blank=True)

    class Meta:
        verbose_name = _("contador de acceso")
        verbose_name_plural = _("contadores de acceso")
        constraints = [
            # One counter per limit and key; its index is how access.py finds the row it raises.
            models.UniqueConstraint(fields=["limit", "username", "ip_address"], name="accesscounter_key_unique"),
        ]

    def __str__(self):
        return f"{self.get_limit_display()}: {self.username or '-'} ({self.ip_address or '-'}) {self.count}"
