"""The action log's data, by concept: the catalogue, actions with their values and evidence,
targets, the tallies that dashboards read, money, and notifications. Import from here."""

from .action_kinds import ActionKind
from .actions import (
    DRAFT_REMINDER_DAYS,
    OVERLAPPING_GROUPS,
    PEOPLE_GROUPS,
    RETURNED_REMINDER_DAYS,
    REVIEW_REMINDER_DAYS,
    Action,
    ActionQuerySet,
    ActionStatusChange,
    Evidence,
    IndicatorValue,
    evidence_upload_to,
    may_review,
)
from .catalogue import Commitment, CommitmentManager, CommitmentQuerySet, FocusArea, Indicator, catalogue
from .money import EXACT, Currency, ExchangeRate, usd_per_unit
from .notifications import Notification, NotificationQuerySet
from .tallies import IndicatorTally, MonthlyTally, ReviewTally
from .targets import (
    DUE_AFTER_BASELINE_YEAR,
    ON_TRACK_PERCENT,
    TARGET_STATUS_ORDER,
    Horizon,
    Target,
    TargetQuerySet,
    TargetStatus,
)

__all__ = [
    "DRAFT_REMINDER_DAYS",
    "DUE_AFTER_BASELINE_YEAR",
    "EXACT",
    "ON_TRACK_PERCENT",
    "OVERLAPPING_GROUPS",
    "PEOPLE_GROUPS",
    "RETURNED_REMINDER_DAYS",
    "REVIEW_REMINDER_DAYS",
    "TARGET_STATUS_ORDER",
    "Action",
    "ActionKind",
    "ActionQuerySet",
    "ActionStatusChange",
    "Commitment",
    "CommitmentManager",
    "CommitmentQuerySet",
    "Currency",
    "Evidence",
    "ExchangeRate",
    "FocusArea",
    "Horizon",
    "Indicator",
    "IndicatorTally",
    "IndicatorValue",
    "MonthlyTally",
    "Notification",
    "NotificationQuerySet",
    "ReviewTally",
    "Target",
    "TargetQuerySet",
    "TargetStatus",
    "catalogue",
    "evidence_upload_to",  # the migrations name it by this path
    "may_review",
    "usd_per_unit",
]
