"""The exchange's form, its partner cities (a formset) and the filters of the exchanges list."""

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ambassadors.models import City
from commitments.forms import CityChoices, DateInput, KeptRowsFormSet, KindDetailsForm, ModelIdsField
from core.forms import ErrorsAtFieldsMixin
from core.text import folded

from .models import Exchange, ExchangeParticipation, PartnerCity, Practice


class PracticeChoiceField(ModelIdsField):
    def label_from_instance(self, obj):
        return f"{obj.title} · {obj.city.name}"


class ExchangeForm(ErrorsAtFieldsMixin, forms.ModelForm):
    """The exchange's own fields, its network cities and the practices it spread. Only published
    practices are offered: a draft's id posted anyway is an invalid choice."""

    class Meta:
        model = Exchange
        fields = ["kind", "title", "started_on", "ended_on", "description", "cities", "practices"]
        field_classes = {"cities": ModelIdsField, "practices": PracticeChoiceField}
        widgets = {
            "kind": forms.RadioSelect,
            "cities": CityChoices,
            "practices": forms.CheckboxSelectMultiple,
            "started_on": DateInput(),
            "ended_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"started_on": _("Fecha (o inicio)")}
        help_texts = {"ended_on": _("Solo si duró más de un día.")}

    def __init__(self, *args, own_city=None, **kwargs):
        """`own_city`: the city of the ambassador who records it, which the service always adds."""
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Exchange.Kind.choices
        cities = City.objects.in_network()
        if self.instance.pk:  # a city already in the exchange stays on offer
            cities = cities | City.objects.filter(pk__in=self.instance.cities.values("pk"))
        if own_city is not None:
            cities = cities.exclude(pk=own_city.pk)
            self.fields["cities"].help_text = _(
                "Su ciudad, %(city)s, participa siempre: se añade sola. Marque las otras ciudades de la red."
            ) % {"city": own_city.name}
        else:
            self.fields["cities"].help_text = _("Las ciudades de la red que participaron.")
        self.fields["cities"].required = False  # the service counts them with the partner cities
        self.fields["cities"].queryset = cities.order_by("country", "name")
        self.fields["practices"].queryset = Practice.objects.published().select_related("city").order_by("title", "pk")
        self.fields["practices"].help_text = _("Solo se ofrecen las prácticas publicadas.")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "kind",
            "title",
            Div(Div("started_on", css_class="col-6"), Div("ended_on", css_class="col-6"), css_class="row"),
            "description",
            "cities",
        )

    def clean(self):
        """The table's date check, at the end date's field (Django would put it above the form)."""
        cleaned = super().clean()
        started, ended = cleaned.get("started_on"), cleaned.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", _("La fecha de fin no puede ser anterior a la de inicio."))
        return cleaned


class PartnerCityForm(forms.ModelForm):
    class Meta:
        model = PartnerCity
        fields = ["name", "country"]


class PartnerCityFormSetBase(KeptRowsFormSet):
    def partners(self):
        """[{"name", "country"}] as services.exchange_save takes them."""
        return [{field: form.cleaned_data[field] for field in ("name", "country")} for form in self.kept_forms()]


PartnerCityFormSet = forms.formset_factory(
    PartnerCityForm, formset=PartnerCityFormSetBase, extra=2, can_delete=True, max_num=20
)


def countries_in_exchanges():
    """(code, name) of the countries of every city in an exchange, network or partner, by name."""
    codes = set(City.objects.filter(exchanges__isnull=False).order_by().values_list("country_id", flat=True).distinct())
    codes |= set(PartnerCity.objects.order_by().values_list("country", flat=True).distinct())
    return sorted(((code, countries.name(code)) for code in codes), key=lambda choice: folded(choice[1]))


class ExchangeFilter(django_filters.FilterSet):
    """By kind, by country (of a network or a partner city) and, for an ambassador, their city's."""

    kind = django_filters.ChoiceFilter(choices=Exchange.Kind.choices, label=_("Tipo"), empty_label=_("Todos los tipos"))
    country = django_filters.ChoiceFilter(
        method="in_country", choices=(), label=_("País"), empty_label=_("Todos los países")
    )
    mine = django_filters.BooleanFilter(method="of_city", label=_("Solo los de mi ciudad"), widget=forms.CheckboxInput)

    class Meta:
        model = Exchange
        fields = []

    def __init__(self, *args, own_city_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.own_city_id = own_city_id
        if own_city_id is None:
            del self.filters["mine"]
        self.filters["country"].extra["choices"] = countries_in_exchanges()

    def in_country(self, queryset, name, value):
        network_city = Exchange.cities.through.objects.filter(exchange=OuterRef("pk"), city__country=value)
        partner_city = PartnerCity.objects.filter(exchange=OuterRef("pk"), country=value)
        return queryset.filter(Exists(network_city) | Exists(partner_city))

    def of_city(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Exists(Exchange.cities.through.objects.filter(exchange=OuterRef("pk"), city_id=self.own_city_id))
        )


class ExchangeParticipationForm(KindDetailsForm):
    """An exchange action's details: one of the network's exchanges its city took part in."""

    legend = _("El intercambio")
    section_template = "practices/exchange_participation_form.html"

    class Meta:
        model = ExchangeParticipation
        fields = ["exchange", "role"]

    def __init__(self, data=None, *, instance=None, action_form, city, prefix):
        super().__init__(data, instance=instance, action_form=action_form, city=city, prefix=prefix)
        self.fields["exchange"].queryset = Exchange.objects.filter(cities=city).order_by("-started_on", "-pk")
        self.fields["exchange"].label_from_instance = lambda exchange: (
            f"{exchange.title} ({formats.date_format(exchange.started_on, 'SHORT_DATE_FORMAT')})"
        )
        self.fields["exchange"].help_text = _("Los intercambios en los que participa su ciudad.")
        self.helper.layout = Layout("exchange", "role")

    def details(self):
        return {"data": {"exchange": self.cleaned_data["exchange"], "role": self.cleaned_data["role"]}}
