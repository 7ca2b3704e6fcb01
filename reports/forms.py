import django_filters
from django import forms
from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ambassadors.models import City
from ambassadors.selectors import network_in_scope
from commitments.forms import DateInput
from core.models import EmailPreferences

from .models import ProgressReport, ReportKind, ReportScope
from .periods import network_start, period_of


def cities_for_reports(user):
    """The cities a person may ask reports of: their scope, among the network's cities."""
    return network_in_scope(user)[0].order_by("name")


class ReportRequestForm(forms.Form):
    """Ask for the report of a city in scope for a month, quarter or year that has ended."""

    city = forms.ModelChoiceField(label=_("Ciudad"), queryset=City.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label=_("Periodicidad"), choices=ReportKind.choices, initial=ReportKind.MONTH)
    day = forms.DateField(
        label=_("Un día del periodo"),
        widget=DateInput(),
        help_text=_("Por ejemplo, cualquier día de marzo para el informe de marzo."),
    )
    language = forms.ChoiceField(label=_("Idioma del informe"), choices=settings.LANGUAGES)

    def __init__(self, *args, user, today, **kwargs):
        # Its own ids: the list's filters beside it have a city and a period too.
        super().__init__(*args, auto_id="id_request_%s", **kwargs)
        self.today = today
        self.fields["city"].queryset = cities_for_reports(user)

    def clean(self):
        """Only a period that has ended (a report freezes its figures: one of a period still
        running would stay partial) and that ends after the city's first appointment: the network
        has nothing before it, and each period asked for is a task for the workers."""
        cleaned = super().clean()
        kind, day, city = cleaned.get("kind"), cleaned.get("day"), cleaned.get("city")
        if not (kind and day):
            return cleaned
        # A future day is refused before its period is worked out (9999-12 has no month after it).
        if day >= self.today or period_of(kind, day).end >= self.today:
            self.add_error(
                "day", _("Ese periodo todavía no termina: su informe se puede pedir desde el día siguiente.")
            )
            return cleaned
        period = period_of(kind, day)
        first = network_start(city=city) if city else None
        if city and (first is None or period.end < first):
            self.add_error(
                "day",
                forms.ValidationError(
                    _("%(city)s tiene informes desde el %(first)s, cuando empezó su primer nombramiento en la red."),
                    code="before_network",
                    params={"city": city.name, "first": date_format(first or self.today, "SHORT_DATE_FORMAT")},
                ),
            )
            return cleaned
        cleaned["period"] = period
        return cleaned


class ReportFilter(django_filters.FilterSet):
    scope = django_filters.ChoiceFilter(choices=ReportScope.choices, label=_("Ámbito"), empty_label=_("Todos"))
    city = django_filters.ModelChoiceFilter(queryset=City.objects.none(), label=_("Ciudad"), empty_label=_("Todas"))
    kind = django_filters.ChoiceFilter(choices=ReportKind.choices, label=_("Periodicidad"), empty_label=_("Todas"))
    status = django_filters.ChoiceFilter(
        choices=ProgressReport.Status.choices, label=_("Estado"), empty_label=_("Todos")
    )

    class Meta:
        model = ProgressReport
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["city"].queryset = cities_for_reports(user)


class EmailPreferencesForm(forms.ModelForm):
    class Meta:
        model = EmailPreferences
        fields = ["reminders", "report_digests", "weekly_summary", "language"]
        widgets = {"reminders": forms.RadioSelect}

    def __init__(self, *args, is_coordinator, is_ambassador=False, **kwargs):
        super().__init__(*args, **kwargs)
        if is_coordinator or is_ambassador:
            # Ambassadors get it too (reports.digests.weekly_items), only the weeks with new
            # practices on the commitments they follow: they may turn it off like anyone.
            self.fields["weekly_summary"].help_text = _(
                "Coordinadores: las cifras de la semana y las prácticas nuevas de sus países. Además, las "
                "prácticas nuevas de los compromisos que sigue, solo las semanas que haya alguna."
            )
        else:
            del self.fields["weekly_summary"]
