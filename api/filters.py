"""The API's list filters: the same fields as "Mis acciones", plus the city."""

import django_filters

from ambassadors.models import City
from commitments.models import Action, Commitment


class ActionApiFilter(django_filters.FilterSet):
    city = django_filters.ModelChoiceFilter(queryset=City.objects.all())
    commitment = django_filters.ModelChoiceFilter(queryset=Commitment.objects.all())
    status = django_filters.ChoiceFilter(choices=Action.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Action.Kind.choices)
    started_after = django_filters.DateFilter(field_name="started_on", lookup_expr="gte")
    started_before = django_filters.DateFilter(field_name="started_on", lookup_expr="lte")

    class Meta:
        model = Action
        fields = []
