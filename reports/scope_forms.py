"""Asking for a scope's report now: a country the person answers for, or the network (admins)."""

from django import forms
from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ambassadors.models import City, Country
from ambassadors.scope import country_scope_filter, roles_of
from commitments.forms import DateInput

from .models import ReportKind, ReportScope
from .periods import network_start, period_of

NETWORK = "network"


def countries_for_reports(user):
    """The countries whose report a person may ask for: those they answer for
    (ambassadors.scope.country_scope_filter) with cities in the network, by name."""
    with_cities = City.objects.in_network().values("country")
    countries = Country.objects.filter(country_scope_filter(user, field="pk"), pk__in=with_cities)
    return sorted(countries, key=lambda country: str(country.name))


class ScopeReportRequestForm(forms.Form):
    """Ask for the report of a whole country (or of the network, admins only) for a month, quarter
    or year that has ended."""

    scope = forms.ChoiceField(label=_("Ámbito"))
    kind = forms.ChoiceField(label=_("Periodicidad"), choices=ReportKind.choices, initial=ReportKind.QUARTER)
    day = forms.DateField(
        label=_("Un día del periodo"),
        widget=DateInput(),
        help_text=_("Por ejemplo, cualquier día de marzo para el informe de marzo."),
    )
    language = forms.ChoiceField(label=_("Idioma del informe"), choices=settings.LANGUAGES)

    def __init__(self, *args, user, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.countries = {country.pk: country for country in countries_for_reports(user)}
        choices = [
            (code, _("%(country)s: todas las ciudades") % {"country": country.name})
            for code, country in self.countries.items()
        ]
        if roles_of(user).is_admin:
            choices.insert(0, (NETWORK, _("Red OMCS: todas las ciudades")))
        self.fields["scope"].choices = choices

    def clean(self):
        """Only a period that has ended (a report freezes its figures) and that ends after the
        scope's first appointment: the network has nothing before it."""
        cleaned = super().clean()
        kind, day, scope = cleaned.get("kind"), cleaned.get("day"), cleaned.get("scope")
        if not (kind and day and scope):
            return cleaned
        if day >= self.today or period_of(kind, day).end >= self.today:
            self.add_error(
                "day", _("Ese periodo todavía no termina: su informe se puede pedir desde el día siguiente.")
            )
            return cleaned
        period = period_of(kind, day)
        if scope == NETWORK:
            report_scope, country, name = ReportScope.NETWORK, None, _("La red OMCS")
        else:
            report_scope, country = ReportScope.COUNTRY, self.countries[scope]
            name = country.name
        first = network_start(country=country) if country else network_start()
        if first is None or period.end < first:
            self.add_error(
                "day",
                forms.ValidationError(
                    _(
                        "%(scope)s tiene informes desde el %(first)s, cuando empezó el primer nombramiento "
                        "de sus ciudades."
                    ),
                    code="before_network",
                    params={"scope": name, "first": date_format(first or self.today, "SHORT_DATE_FORMAT")},
                ),
            )
            return cleaned
        cleaned["period"], cleaned["report_scope"], cleaned["country"] = period, report_scope, country
        return cleaned
