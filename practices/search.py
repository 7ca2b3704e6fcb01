"""Full-text search over the practice library, ignoring accents and case.

The services keep each practice's `search_document` (its words folded: no case, no accents) and,
on PostgreSQL, its `search_vector`: the title weighted above the rest, stemmed with both the
Spanish and the Portuguese configuration, so "gobernanza emocional", "Gobernanza Emocional" and
"governança emocional" meet. A query is folded the same way, so accents typed or not match.
PostgreSQL ranks by ts_rank; SQLite (the embedded default) matches every word as a substring
and ranks titles first.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, FloatField, Q, Value, When

from core.text import folded

CONFIGURATIONS = ("spanish", "portuguese")
MAX_QUERY_LENGTH = 200


def _is_postgresql():
    return connection.vendor == "postgresql"


def document_of(practice):
    """(title, body): the practice's words as a search reads them, folded."""
    body = [
        *(getattr(practice, name) for name in type(practice).summary.fields),
        practice.problem,
        practice.what_was_done,
        practice.results,
        practice.funding,
        practice.partners,
        practice.lessons,
        practice.how_to_replicate,
        practice.city.name,
    ]
    return folded(practice.title), folded("\n".join(text for text in body if text))


def index(practice):
    """Write the practice's search columns (one UPDATE), after any change to its text."""
    title, body = document_of(practice)
    values = {"search_document": f"{title}\n{body}"}
    if _is_postgresql():
        vector = None
        for config in CONFIGURATIONS:
            part = SearchVector(Value(title), config=config, weight="A") + SearchVector(
                Value(body), config=config, weight="B"
            )
            vector = part if vector is None else vector + part
        values["search_vector"] = vector
    type(practice).objects.filter(pk=practice.pk).update(**values)


def words_of(text):
    return folded(text[:MAX_QUERY_LENGTH]).split()


def matching(queryset, text):
    """The practices of `queryset` that match `text`, annotated with `rank` (higher is better).
    An empty text matches everything, with rank 0."""
    words = words_of(text or "")
    if not words:
        return queryset.annotate(rank=Value(0.0, output_field=FloatField()))
    phrase = " ".join(words)
    if _is_postgresql():
        query = None
        for config in CONFIGURATIONS:
            part = SearchQuery(phrase, config=config, search_type="plain")
            query = part if query is None else query | part
        # Every word, stemmed; typed operators are words like any other (plain), as on SQLite.
        return queryset.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))
    matches = Q()
    title_matches = Q()
    for word in words:
        matches &= Q(search_document__contains=word)
        title_matches &= Q(search_document__regex=r"^[^\n]*" + re.escape(word))
    return queryset.filter(matches).annotate(
        rank=Case(When(title_matches, then=Value(1.0)), default=Value(0.5), output_field=FloatField())
    )
