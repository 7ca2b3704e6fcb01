"""What admins import: cities, ambassadors' appointments and coordinators' scopes (for accounts
that exist: accounts are made in Django admin). Written only through ambassadors.services
(city_save, ambassador_appoint, ambassador_set_term, coordinator_set_scope), whose rules give
the messages."""

import copy
import datetime
import re
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ambassadors import services as ambassador_services
from ambassadors.models import Ambassador, City, Coordinator, Country

from .checks import CHANGED, NEW, UNCHANGED, Checked, _formula_errors, given
from .columns import Column

USERNAME = Column("username", gettext_lazy("usuario"), required=True)
EMAIL = Column("email", gettext_lazy("correo"), read_only=True)
FIRST = Column("first_name", gettext_lazy("nombre"), read_only=True)
LAST = Column("last_name", gettext_lazy("apellido"), read_only=True)

AMBASSADOR_COLUMNS = [
    Column("id", gettext_lazy("id")),
    USERNAME,
    EMAIL,
    FIRST,
    LAST,
    Column("city", gettext_lazy("ciudad"), required=True),
    Column("city_name", gettext_lazy("nombre de la ciudad"), read_only=True),
    Column("appointed_on", gettext_lazy("nombrado el"), required=True),
    Column("term_ends_on", gettext_lazy("fin del periodo")),
    Column("status", gettext_lazy("estado"), read_only=True),
]
CITY_COLUMNS = [
    Column("id", gettext_lazy("id")),
    Column("name", gettext_lazy("nombre"), required=True),
    Column("country", gettext_lazy("país"), required=True),
    Column("region", gettext_lazy("región")),
    Column("population", gettext_lazy("población")),
    Column("latitude", gettext_lazy("latitud")),
    Column("longitude", gettext_lazy("longitud")),
    Column("time_zone", gettext_lazy("zona horaria")),
]
CITY_FIELDS = [column.key for column in CITY_COLUMNS if column.key != "id"]
COORDINATOR_COLUMNS = [
    USERNAME,
    EMAIL,
    FIRST,
    LAST,
    Column("countries", gettext_lazy("países (códigos ISO)"), required=True),
    Column("active", gettext_lazy("activo")),
]


class CityForm(forms.ModelForm):
    """A city's row, checked by the model's own fields and constraints (as Django admin checks it)."""

    class Meta:
        model = City
        fields = CITY_FIELDS


PEOPLE_COLUMNS = {"cities": CITY_COLUMNS, "ambassadors": AMBASSADOR_COLUMNS, "coordinators": COORDINATOR_COLUMNS}


def _date(cells, key, errors, *, required=False):
    text = cells.get(key, "")
    if not text:
        if required:
            errors[key] = [_("Este campo es obligatorio.")]
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        errors[key] = [_("Escriba la fecha como AAAA-MM-DD.")]
        return None


class PeopleContext:
    def __init__(self, *, user, city, rows):
        names = {cells.get("username", "") for _n, cells in rows}
        self.users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
        self.cities = {str(c.pk): c for c in City.objects.all()}
        self.countries = {c.code: c for c in Country.objects.all()}
        self.appointments = {str(a.pk): a for a in Ambassador.objects.select_related("user", "city")}
        self.coordinators = {
            c.user.username: c for c in Coordinator.objects.select_related("user").prefetch_related("countries")
        }
        self.seen = set()


def _plain(value):
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def _user(cells, context, errors):
    username = cells.get("username", "")
    user = context.users.get(username)
    if user is None:
        errors.setdefault("username", [_("No hay una cuenta con el usuario «%(name)s».") % {"name": username}])
    return user


def check_ambassador(cells, context):
    errors = _formula_errors(cells)
    user = _user(cells, context, errors)
    city = context.cities.get(cells.get("city", ""))
    if city is None:
        errors.setdefault("city", [_("No hay una ciudad con ese id.")])
    appointed_on = _date(cells, "appointed_on", errors, required=True)
    existing = context.appointments.get(cells.get("id", "")) if cells.get("id") else None
    if existing is not None and "term_ends_on" not in cells:
        term_ends_on = existing.term_ends_on  # a file without the column leaves the term as it is
    else:
        term_ends_on = _date(cells, "term_ends_on", errors)
    if cells.get("id") and existing is None:
        errors.setdefault("id", [_("No hay un nombramiento con ese id.")])
    if errors:
        return Checked(NEW if existing is None else CHANGED, errors)
    if existing is not None:
        if (existing.user_id, existing.city_id, existing.appointed_on) != (user.pk, city.pk, appointed_on):
            message = _("Un nombramiento no cambia de persona, ciudad ni fecha: deje el id vacío para nombrar otro.")
            return Checked(CHANGED, {"id": [message]})
        version = existing.updated_at.isoformat()
        if existing.term_ends_on == term_ends_on:
            return Checked(UNCHANGED, version=version)
        return Checked(CHANGED, write={"ambassador": existing, "term_ends_on": term_ends_on}, version=version)
    try:
        ambassador_services.ambassador_appointment_validate(
            city=city, user=user, appointed_on=appointed_on, term_ends_on=term_ends_on
        )
    except ValidationError as error:
        fields = {"user": "username"}
        return Checked(NEW, {fields.get(key, key): messages for key, messages in error.message_dict.items()})
    return Checked(NEW, write={"city": city, "user": user, "appointed_on": appointed_on, "term_ends_on": term_ends_on})


def check_city(cells, context):
    errors = _formula_errors(cells)
    existing = context.cities.get(cells.get("id", "")) if cells.get("id") else None
    if cells.get("id") and existing is None:
        errors.setdefault("id", [_("No hay una ciudad con ese id.")])
    saved = {}
    if existing is not None:  # what a file without some columns keeps (country_id: no query)
        saved = {name: _plain(getattr(existing, name)) for name in CITY_FIELDS if name != "country"}
    data = {name: given(cells, name, saved.get(name)) for name in CITY_FIELDS}
    data["country"] = data["country"].upper()
    if not data["time_zone"]:
        data["time_zone"] = existing.time_zone if existing else City._meta.get_field("time_zone").default
    form = CityForm(data, instance=copy.copy(existing) if existing else City())
    for key, messages in form.errors.items():
        errors.setdefault(None if key == "__all__" else key, list(messages))
    if errors:
        return Checked(NEW if existing is None else CHANGED, errors)
    write = {name: form.cleaned_data[name] for name in CITY_FIELDS}
    if existing is None:
        return Checked(NEW, write={"data": write})
    version = str(existing.pk) + "|" + "|".join(str(getattr(existing, name)) for name in CITY_FIELDS)
    if all(getattr(existing, name) == value for name, value in write.items()):
        return Checked(UNCHANGED, version=version)
    return Checked(CHANGED, write={"data": write, "city": existing}, version=version)


def check_coordinator(cells, context):
    errors = _formula_errors(cells)
    user = _user(cells, context, errors)
    codes = [code.upper() for code in re.split(r"[\s,;]+", cells.get("countries", "")) if code]
    unknown = [code for code in codes if code not in context.countries]
    if unknown or not codes:
        errors.setdefault(
            "countries",
            [_("Códigos de país que no se conocen: %(codes)s.") % {"codes": ", ".join(unknown)}]
            if unknown
            else [_("Este campo es obligatorio.")],
        )
    existing = context.coordinators.get(user.username) if user is not None else None
    # Without the column a coordinator keeps their state: a withdrawn one is not reinstated.
    default = "1" if existing is None or existing.active else "0"
    active = cells.get("active", default).strip().casefold() not in ("0", "no", "não", "false", "falso")
    if user is not None and user.username in context.seen:
        errors.setdefault("username", [_("Otra fila del archivo ya tiene este usuario.")])
    if user is not None:
        context.seen.add(user.username)
    if errors:
        return Checked(NEW, errors)
    write = {"user": user, "countries": [context.countries[code] for code in codes], "active": active}
    if existing is None:
        return Checked(NEW, write=write)
    version = str(sorted(c.pk for c in existing.countries.all())) + str(existing.active)
    if {c.pk for c in existing.countries.all()} == set(codes) and existing.active == active:
        return Checked(UNCHANGED, version=version)
    return Checked(CHANGED, write=write, version=version)


def write_person(what, result, *, by):
    write = result.write
    if what == "coordinators":
        ambassador_services.coordinator_set_scope(by=by, **write)
    elif what == "cities":
        ambassador_services.city_save(by=by, **write)
    elif "ambassador" in write:
        ambassador_services.ambassador_set_term(**write)
    else:
        ambassador_services.ambassador_appoint(**write)


def people_rows(what):
    if what == "cities":
        for city in City.objects.order_by("country", "name"):
            values = {**{name: _plain(getattr(city, name)) for name in CITY_FIELDS}, "country": city.country_id}
            yield [city.pk, *(values[name] for name in CITY_FIELDS)]
        return
    if what == "coordinators":
        for c in Coordinator.objects.select_related("user").prefetch_related("countries").order_by("user__username"):
            user = c.user
            codes = " ".join(sorted(country.pk for country in c.countries.all()))
            yield [user.username, user.email, user.first_name, user.last_name, codes, "1" if c.active else "0"]
        return
    for a in Ambassador.objects.select_related("user", "city").order_by("city__name", "appointed_on"):
        user = a.user
        yield [
            a.pk,
            user.username,
            user.email,
            user.first_name,
            user.last_name,
            a.city_id,
            a.city.name,
            a.appointed_on.isoformat(),
            a.term_ends_on.isoformat() if a.term_ends_on else None,
            a.get_status_display(),
        ]
