import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from ambassadors.models import Country
from axes.models import Axis
from axes.sdg import SDG_GOALS
from commitments.models import Commitment, FocusArea

from . import search
from .models import Practice, PracticeGoal

RELEVANCE, RECENT, REPLICATIONS = "relevancia", "recientes", "replicas"
ORDERS = [
    (RELEVANCE, _("Relevancia")),
    (RECENT, _("Más recientes")),
    (REPLICATIONS, _("Más replicadas")),
]
ORDER_BY = {
    RELEVANCE: ["-rank", "-published_at", "-pk"],
    RECENT: ["-published_at", "-pk"],
    REPLICATIONS: ["-replication_count", "-published_at", "-pk"],
}

# City size buckets on City.population; a city without a population is in none.
CITY_SIZES = {
    "menos-500mil": Q(city__population__lt=500_000),
    "500mil-1millon": Q(city__population__gte=500_000, city__population__lt=1_000_000),
    "1-5millones": Q(city__population__gte=1_000_000, city__population__lte=5_000_000),
    "mas-5millones": Q(city__population__gt=5_000_000),
}
CITY_SIZE_CHOICES = [
    ("menos-500mil", _("Menos de 500 000 habitantes")),
    ("500mil-1millon", _("De 500 000 a 1 millón de habitantes")),
    ("1-5millones", _("De 1 a 5 millones de habitantes")),
    ("mas-5millones", _("Más de 5 millones de habitantes")),
]


def _sdg_choices():
    return [(str(number), f"{number}. {name}") for number, name in SDG_GOALS]


def _published_practice_in(**lookups):
    return Exists(Practice.objects.published().filter(**lookups))


class PracticeFilter(django_filters.FilterSet):
    """The library's search, filters and order (?orden=). Without an order the default is
    relevance when searching, the newest first otherwise; in that default order the featured
    practices come first. Filters on many-valued relations use EXISTS, so a practice is never
    listed twice and the replication counts are not multiplied."""

    q = django_filters.CharFilter(
        method="search", label=_("Buscar"), widget=forms.TextInput(attrs={"type": "search", "enterkeyhint": "search"})
    )
    axis = django_filters.ModelChoiceFilter(
        queryset=Axis.objects.all(), method="by_axis", label=_("Eje"), empty_label=_("Todos los ejes")
    )
    commitment = django_filters.ModelChoiceFilter(
        queryset=Commitment.objects.active().with_axis(),
        method="by_commitment",
        label=_("Compromiso"),
        empty_label=_("Todos los compromisos"),
    )
    focus_area = django_filters.ModelChoiceFilter(
        queryset=FocusArea.objects.filter(_published_practice_in(focus_areas=OuterRef("pk"))),
        method="by_focus_area",
        label=_("Área de enfoque"),
        empty_label=_("Todas las áreas"),
    )
    country = django_filters.ModelChoiceFilter(
        field_name="city__country",
        queryset=Country.objects.filter(_published_practice_in(city__country=OuterRef("pk"))),
        label=_("País"),
        empty_label=_("Todos los países"),
    )
    sdg = django_filters.ChoiceFilter(
        choices=_sdg_choices, method="by_goal", label=_("Objetivo de Desarrollo Sostenible"), empty_label=_("Todos")
    )
    size = django_filters.ChoiceFilter(
        choices=CITY_SIZE_CHOICES, method="by_size", label=_("Tamaño de la ciudad"), empty_label=_("Todos")
    )
    orden = django_filters.ChoiceFilter(choices=ORDERS, method="keep", label=_("Ordenar por"), empty_label=None)

    class Meta:
        model = Practice
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else None
        self.order_chosen = data is not None and data.get("orden") in ORDER_BY
        if data is not None and not self.order_chosen:
            data["orden"] = self.default_order(data)
        super().__init__(data, *args, **kwargs)

    @staticmethod
    def default_order(data):
        return RELEVANCE if search.words_of(data.get("q", "")) else RECENT

    @property
    def searching(self):
        """A search the form accepted (one it refused, a NUL in it say, searches nothing)."""
        return self.form.is_valid() and bool(search.words_of(self.form.cleaned_data.get("q") or ""))

    NARROWING = ("axis", "commitment", "focus_area", "country", "sdg", "size")

    @property
    def narrowed(self):
        """Whether a filter or an order was chosen: the page then shows them open."""
        return self.order_chosen or any(self.data.get(name) for name in self.NARROWING)

    def search(self, queryset, name, value):
        return search.matching(queryset, value)

    def keep(self, queryset, name, value):
        return queryset

    def by_axis(self, queryset, name, value):
        return queryset.filter(
            Exists(Practice.commitments.through.objects.filter(practice=OuterRef("pk"), commitment__axis=value))
        )

    def by_commitment(self, queryset, name, value):
        return queryset.filter(
            Exists(Practice.commitments.through.objects.filter(practice=OuterRef("pk"), commitment=value))
        )

    def by_focus_area(self, queryset, name, value):
        return queryset.filter(
            Exists(Practice.focus_areas.through.objects.filter(practice=OuterRef("pk"), focusarea=value))
        )

    def by_goal(self, queryset, name, value):
        return queryset.filter(Exists(PracticeGoal.objects.filter(practice=OuterRef("pk"), goal=value)))

    def by_size(self, queryset, name, value):
        return queryset.filter(CITY_SIZES[value])

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset).with_replication_counts()
        order = self.form.cleaned_data.get("orden") or RECENT
        if order == RELEVANCE and not self.searching:
            order = RECENT
        keys = ORDER_BY[order]
        if order == self.default_order(self.data):
            keys = ["-featured", *keys]
        return queryset.order_by(*keys)
