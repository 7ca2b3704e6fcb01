from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    """Cursor pages over the primary key: stable while rows are added, one index range each."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class CatalogueCursorPagination(IdCursorPagination):
    """The catalogue and the cities read in the order they were made (axis 1 first)."""

    ordering = "id"
