from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination

# The ids a cursor may hold: those of a 64-bit primary key.
ID_RANGE = range(-(2**63), 2**63)


class IdCursorPagination(CursorPagination):
    """Cursor pages over the primary key: stable while rows are added, one index range each."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def decode_cursor(self, request):
        """DRF checks a cursor's offset and direction but not its position, which goes into the
        query as it came: a cursor crafted with a position that is not an id is invalid (404 in
        JSON), not a 500."""
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            try:
                valid = int(cursor.position) in ID_RANGE
            except ValueError:
                valid = False
            if not valid:
                raise NotFound(self.invalid_cursor_message)
        return cursor


class CatalogueCursorPagination(IdCursorPagination):
    """The catalogue and the cities read in the order they were made (axis 1 first)."""

    ordering = "id"
