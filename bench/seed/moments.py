"""Days and moments of the seeded window, with their ISO 8601 text precomputed."""

import datetime

PAD_DAYS = 60  # how far before the window a date may move so that its workflow ends in the past.

DAY = 86400
HOUR = 3600


def at(day, seconds):
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=datetime.UTC) + datetime.timedelta(seconds=seconds)


def quarter(day):
    return day.year * 4 + (day.month - 1) // 3


class Calendar:
    """Days as offsets from the window's start (down to -PAD_DAYS: the lists wrap, so a negative
    offset reads from their end) and moments as seconds from its midnight UTC, with their
    ISO 8601 text precomputed: joining two strings is far cheaper than making and formatting a
    datetime, and COPY reads the text as it is."""

    def __init__(self, window_start, today):
        self.window_start, self.today = window_start, today
        self.span = (today - window_start).days
        self.first_day = window_start - datetime.timedelta(days=PAD_DAYS)
        days = [self.first_day + datetime.timedelta(days=offset) for offset in range(self.span + PAD_DAYS + 1)]

        def wrapped(values):
            return values[PAD_DAYS:] + values[:PAD_DAYS]

        self.text = wrapped([day.isoformat() for day in days])
        self.year = wrapped([day.year for day in days])
        self.quarter = wrapped([quarter(day) for day in days])
        self.clock = [f" {h:02d}:{m:02d}:{s:02d}+00:00" for h in range(24) for m in range(60) for s in range(60)]
        # Nothing happens after the start of today (UTC): never in the future, whatever the hour.
        self.cap = self.span * DAY

    def date(self, offset):
        """The ISO 8601 text of the day `offset` days from the window's start, after today too
        (deadlines, due dates)."""
        if -PAD_DAYS <= offset <= self.span:
            return self.text[offset]
        return (self.window_start + datetime.timedelta(days=offset)).isoformat()

    def moment(self, seconds):
        """The ISO 8601 text of the moment `seconds` from the window's start (midnight UTC)."""
        return self.text[seconds // DAY] + self.clock[seconds % DAY]
