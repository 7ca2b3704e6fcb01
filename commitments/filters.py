import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ambassadors.models import City, Country
from ambassadors.selectors import network_in_scope
from axes.models import Axis

from .forms import DateInput
from .models import Action, Commitment


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Buscar"))
    axis = django_filters.ModelChoiceFilter(
        field_name="commitment__axis", queryset=Axis.objects.all(), label=_("Eje"), empty_label=_("Todos los ejes")
    )
    commitment = django_filters.ModelChoiceFilter(
        queryset=Commitment.objects.with_axis(), label=_("Compromiso"), empty_label=_("Todos los compromisos")
    )
    status = django_filters.ChoiceFilter(choices=Action.Status.choices, label=_("Estado"), empty_label=_("Todos"))
    kind = django_filters.ChoiceFilter(choices=Action.Kind.choices, label=_("Tipo de acción"), empty_label=_("Todos"))
    started_after = django_filters.DateFilter(
        field_name="started_on", lookup_expr="gte", label=_("Desde"), widget=DateInput()
    )
    started_before = django_filters.DateFilter(
        field_name="started_on", lookup_expr="lte", label=_("Hasta"), widget=DateInput()
    )

    class Meta:
        model = Action
        fields = []

    def search(self, queryset, name, value):
        terms = value.split()
        for term in terms[:8]:
            queryset = queryset.filter(
                Q(title__icontains=term) | Q(description__icontains=term) | Q(outcome__icontains=term)
            )
        return queryset


class ReviewQueueFilter(django_filters.FilterSet):
    """The review queue's filters; the country and city choices are those of the user's scope."""

    country = django_filters.ModelChoiceFilter(
        field_name="city__country", queryset=Country.objects.none(), label=_("País"), empty_label=_("Todos")
    )
    city = django_filters.ModelChoiceFilter(queryset=City.objects.none(), label=_("Ciudad"), empty_label=_("Todas"))
    axis = django_filters.ModelChoiceFilter(
        field_name="commitment__axis", queryset=Axis.objects.all(), label=_("Eje"), empty_label=_("Todos los ejes")
    )
    commitment = django_filters.ModelChoiceFilter(
        queryset=Commitment.objects.with_axis(), label=_("Compromiso"), empty_label=_("Todos los compromisos")
    )

    class Meta:
        model = Action
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cities, countries = network_in_scope(user)
        self.filters["city"].queryset = cities.order_by("name")
        self.filters["country"].queryset = countries
