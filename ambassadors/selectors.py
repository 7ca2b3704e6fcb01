"""Reads on cities and people, already filtered by the user's scope."""

from django.db.models import Case, Prefetch, Value, When

from .models import Ambassador, City, Country


def cities_in_network(*, user):
    """The cities in the user's scope that have, or had, an OMCS ambassador."""
    return (
        City.objects.visible_to(user)
        .in_network()
        .select_related("country")
        .prefetch_related(
            Prefetch(
                "ambassadors",
                queryset=Ambassador.objects.current().select_related("user"),
                to_attr="current_ambassadors",
            )
        )
        .order_by("country", "name")
    )


def network_in_scope(user):
    """The network's cities in the user's scope and their countries: the filters' choices."""
    cities = City.objects.visible_to(user).in_network()
    return cities, Country.objects.filter(pk__in=cities.values("country")).order_by("pk")


def city_for(*, user, pk):
    """One city, only if it is in the user's scope (else DoesNotExist, shown as 404)."""
    return City.objects.visible_to(user).select_related("country").get(pk=pk)


def city_ambassadors(*, city):
    """The city's appointments, the one in force first, then earlier ones."""
    in_office_first = Case(When(status=Ambassador.Status.ENDED, then=Value(1)), default=Value(0))
    return city.ambassadors.select_related("user").order_by(in_office_first, "-appointed_on")
