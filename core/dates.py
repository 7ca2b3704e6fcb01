"""Dates as the site reads them."""

import datetime

from django.utils import timezone


def local_days(start, end):
    """(since, until): the days start..end (both included) as moments in the site's time zone, from
    the midnight that opens `start` to the one that closes `end`. Filtering a timestamp on this
    range, rather than with `__date`, converts no row and keeps the timestamp's index usable."""
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=zone),
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone),
    )
