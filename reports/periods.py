"""The period a dashboard covers: this month, this quarter, this year, or custom dates."""

import datetime
from dataclasses import dataclass

from django import forms
from django.db.models import Min
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ambassadors.models import Ambassador, City, Country
from ambassadors.selectors import network_in_scope
from commitments.forms import DateInput
from core.text import folded

MONTH, QUARTER, YEAR, CUSTOM = "month", "quarter", "year", "custom"
# A custom period longer than this is refused: the monthly chart would stop being readable.
MAX_CUSTOM_DAYS = 3 * 366


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date


def period_of(kind, today):
    """The calendar month, quarter or year that holds `today`."""
    if kind == YEAR:
        return Period(datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31))
    first_month = (today.month - 1) // 3 * 3 + 1 if kind == QUARTER else today.month
    months = 3 if kind == QUARTER else 1
    start = datetime.date(today.year, first_month, 1)
    next_month = first_month + months
    end = datetime.date(today.year + (next_month > 12), (next_month - 1) % 12 + 1, 1) - datetime.timedelta(days=1)
    return Period(start, end)


def previous_period(kind, period):
    """The month, quarter or year just before `period`."""
    return period_of(kind, period.start - datetime.timedelta(days=1))


def last_complete_period(kind, today):
    """The latest month, quarter or year that has ended by `today`: what a schedule reports on."""
    return previous_period(kind, period_of(kind, today))


def network_start(*, city=None, country=None):
    """The day of the first appointment of anyone in `city`, in a city of `country`, or anywhere
    in the network when neither is given (None if there was none): the network has no figures
    from before it."""
    appointments = Ambassador.objects.all()
    if city is not None:
        appointments = appointments.filter(city=city)
    elif country is not None:
        appointments = appointments.filter(city__country=country)
    return appointments.aggregate(first=Min("appointed_on"))["first"]


class CitySelect(forms.Select):
    """A city among the scope's, grouped by country: one template loop draws the options, not a
    template per option (a network of a thousand cities cost the panel most of its rendering)."""

    template_name = "reports/widgets/city_select.html"

    def get_context(self, name, value, attrs):
        attrs = self.build_attrs(self.attrs, attrs)
        chosen = str(value[0]) if value and value[0] not in ("", None) else ""
        blank, by_country = [], {}
        for pk, label in self.choices:
            if pk == "":
                blank.append(("", label))
                continue
            city = pk.instance
            by_country.setdefault(city.country_id, []).append(
                {"value": str(pk), "label": city.name, "chosen": str(pk) == chosen}
            )
        groups = sorted(
            ({"name": countries.name(code), "cities": cities} for code, cities in by_country.items()),
            key=lambda group: folded(group["name"]),  # in the reader's language
        )
        widget = {"name": name, "attrs": flatatt(attrs), "blank": blank, "chosen": chosen}
        return {"widget": widget, "countries": groups}

    def render(self, name, value, attrs=None, renderer=None):
        return render_to_string(self.template_name, self.get_context(name, self.format_value(value), attrs))


class DashboardForm(forms.Form):
    """Period and scope of a dashboard, from the query string. Country and city choices are
    those of the user's scope, so a foreign id is refused like any invalid choice."""

    period = forms.ChoiceField(
        label=_("Periodo"),
        choices=[(MONTH, _("Este mes")), (QUARTER, _("Este trimestre")), (YEAR, _("Este año")), (CUSTOM, _("Fechas"))],
        required=False,
    )
    start = forms.DateField(label=_("Desde"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Hasta"), required=False, widget=DateInput())
    country = forms.ModelChoiceField(
        label=_("País"), queryset=Country.objects.none(), required=False, empty_label=_("Todos")
    )
    city = forms.ModelChoiceField(
        label=_("Ciudad"), queryset=City.objects.none(), required=False, empty_label=_("Todas"), widget=CitySelect
    )

    def __init__(self, data, *, user, today, default_period=YEAR):
        super().__init__(data, initial={"period": default_period})
        self.today = today
        self.default_period = default_period
        self.scope_cities, self.scope_countries = network_in_scope(user)
        self.fields["city"].queryset = self.scope_cities.order_by("name")
        self.fields["country"].queryset = self.scope_countries

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("period") == CUSTOM:
            # Nothing is known after this year, and a period near the end of the calendar
            # (9999) has no month after it to count up to.
            last = datetime.date(self.today.year, 12, 31)
            for name in ("start", "end"):
                if cleaned.get(name) and cleaned[name] > last:
                    self.add_error(
                        name,
                        forms.ValidationError(
                            _("Elija una fecha hasta el %(last)s."),
                            code="too_late",
                            params={"last": date_format(last, "SHORT_DATE_FORMAT")},
                        ),
                    )
            if self.has_error("start") or self.has_error("end"):
                return cleaned
            start, end = cleaned.get("start"), cleaned.get("end")
            if not start or not end:
                raise forms.ValidationError(_("Indique las dos fechas del periodo."))
            if end < start:
                self.add_error("end", _("La fecha final no puede ser anterior a la inicial."))
            elif (end - start).days > MAX_CUSTOM_DAYS:
                self.add_error("end", _("El periodo puede abarcar hasta tres años."))
        return cleaned

    @property
    def chosen_period(self):
        """The chosen period; the default one while the form is unbound or invalid."""
        data = self.cleaned_data if self.is_valid() else {}
        kind = data.get("period") or self.default_period
        if kind == CUSTOM and data.get("start"):
            return Period(data["start"], data["end"])
        return period_of(kind if kind != CUSTOM else self.default_period, self.today)

    @property
    def chosen_cities(self):
        """The cities the dashboard covers: the user's scope, narrowed by country or city."""
        cities = self.scope_cities
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("country"):
            cities = cities.filter(country=data["country"])
        if data.get("city"):
            cities = cities.filter(pk=data["city"].pk)
        return cities
