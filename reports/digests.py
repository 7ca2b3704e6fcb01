"""Digest emails: what each person is told, folded into one email per person and period.

Planning writes Digest rows (the unique constraint makes a second run a no-op) and, in the same
transaction, each digest's email through the outgoing mail (core.mail), which sends it once,
in its reader's language, retried when the mail server fails. Planning reads a fixed number of
queries, whatever the number of people or items, then writes each digest and its email.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from ambassadors.models import AMBASSADORS_GROUP, Ambassador, City
from ambassadors.scope import Reviewer, active_coordinators, reviewers
from commitments import tallies
from commitments.models import REVIEW_REMINDER_DAYS, Action, Target, TargetStatus, may_review
from core.mail import mail_queue
from core.models import EmailPreferences
from core.preferences import preferences_of
from core.text import folded
from funding.models import Milestone, Opportunity, PlanStatusChange, TransitionPlan
from practices import figures as practice_figures
from terms import reminders as term_reminders

from . import dashboards, services
from .content import period_label, wording_of
from .models import Digest, ProgressReport, ReportScope
from .periods import Period
from .scope_content import scope_title

TARGET_DUE_DAYS = 30
# A funding deadline is announced two weeks ahead, and again in its last days.
DEADLINE_EARLY_DAYS = 14
DEADLINE_LAST_DAYS = 3


def reminder_period_key(frequency, today):
    if frequency == EmailPreferences.Frequency.WEEKLY:
        year, week, _weekday = today.isocalendar()
        return f"{year}-W{week:02d}"
    return today.isoformat()


def hears_of_deadline(days_left, frequency):
    """Whether a reader whose reminders come at `frequency` is told today of a funding deadline
    `days_left` days away (0: today).

    A daily reader is told on the day the deadline is two weeks away (DEADLINE_EARLY_DAYS) and
    on each of its last days (DEADLINE_LAST_DAYS away or fewer, the deadline's own day included):
    a deadline recorded late, already inside the last days, is still heard of.

    A weekly reader gets one digest per ISO week (reminder_period_key), written the first day of
    the week they have something pending, so a deadline's 14th or 3rd day would mostly fall on a
    day with no email for them. They are told of every deadline in the coming
    DEADLINE_EARLY_DAYS days instead: those 15 days always hold a whole week from its Monday, so
    every deadline reaches them in at least one digest before it passes, about two weeks ahead,
    and usually again in the week it falls. Only a deadline recorded after this week's digest and
    falling before next Monday can slip past a weekly reader.
    """
    if frequency == EmailPreferences.Frequency.WEEKLY:
        return 0 <= days_left <= DEADLINE_EARLY_DAYS
    return days_left == DEADLINE_EARLY_DAYS or 0 <= days_left <= DEADLINE_LAST_DAYS


def _told_today(items, frequency):
    """The reader's items for their digest: the deadlines they hear of at their `frequency`
    (hears_of_deadline), everything else as it is."""
    return [item for item in items if item["type"] != "deadline" or hears_of_deadline(item["days"], frequency)]


def _queue_email(digest, *, language, queue=None):
    """The digest's email, written in its reader's language and sent once this transaction commits."""

    def context(language):
        items = _readable(digest, language)
        practices = [item for item in items if item.get("type") == "practice"]
        return {
            "digest": digest,
            "recipient": digest.recipient,
            "items": items,
            # The weekly summary's practices: those of the reader's countries, then those they follow.
            "scope_practices": [item for item in practices if item["in_scope"]],
            "followed_practices": [item for item in practices if not item["in_scope"]],
            "inactive_after_days": tallies.INACTIVE_AFTER_DAYS,
            **_links(),
        }

    mail = mail_queue(
        key=f"digest:{digest.pk}",
        recipient=digest.recipient,
        template=f"reports/email/{digest.kind}",
        context=context,
        language=language,
        queue=queue,
    )
    Digest.objects.filter(pk=digest.pk).update(mail=mail)


@transaction.atomic
def plan_report_digests(*, now, queue=None):
    """One digest per reader of the scheduled reports that are ready and not yet sent: the city's
    ambassador and the coordinators of its country; a country's report, its coordinators; the
    network's, the admins (ambassadors.scope.reviewers: whoever may see it). Waits while a batch is still being written.
    `queue`: the Celery queue of the emails."""
    report_ids = services.reports_claim_for_digest(now=now)
    if not report_ids:
        return []
    return _report_digests(report_ids, now=now, queue=queue)


def _report_digests(report_ids, *, now, queue):
    reports = list(
        ProgressReport.objects.filter(pk__in=report_ids)
        .select_related("city")
        .order_by("city__name", "kind", "period_start")
    )
    city_ids = {report.city_id for report in reports}
    readers = defaultdict(list)  # user -> reports
    ambassadors = Ambassador.objects.filter(
        status=Ambassador.Status.ACTIVE, city__in=city_ids, user__is_active=True
    ).select_related("user")
    ambassador_of = {appointment.city_id: appointment.user for appointment in ambassadors}
    coordinators = active_coordinators(countries__cities__in=city_ids)
    scoped = [report for report in reports if report.scope != ReportScope.CITY]
    # Who reads a scope's report: reviewers() gives the admins (every country) and the coordinators.
    scope_readers = reviewers() if scoped else []
    for report in reports:
        if report.scope != ReportScope.CITY:
            for reader in scope_readers:
                admin = reader.countries is None
                # The network's to the admins; a country's to its coordinators (not to every admin).
                if admin if report.scope == ReportScope.NETWORK else not admin and reader.covers(report.country_id):
                    readers[reader.user].append(report)
            continue
        if report.city_id in ambassador_of:
            readers[ambassador_of[report.city_id]].append(report)
        for coordinator in coordinators:
            if report.city.country_id in coordinator.country_codes:
                readers[coordinator.user].append(report)
    preferences = preferences_of(list(readers))
    digest_ids = []
    for user, user_reports in readers.items():
        if not preferences[user.pk].report_digests or not user.email:
            continue
        digest = Digest.objects.create(
            recipient=user,
            kind=Digest.Kind.REPORTS,
            period_key=timezone.localdate(now).isoformat(),
            items=[
                {
                    "report": report.pk,
                    **(
                        {"city": report.city.name}
                        if report.scope == ReportScope.CITY
                        else {"scope": report.scope, "country": report.country_id}
                    ),
                    "kind": report.kind,
                    "start": report.period_start.isoformat(),
                    "end": report.period_end.isoformat(),
                }
                for report in user_reports
            ],
        )
        digest.reports.set(user_reports)
        _queue_email(digest, language=preferences[user.pk].language, queue=queue)
        digest_ids.append(digest.pk)
    return digest_ids


def reminder_items(*, today, now):
    """{user: [item, …]}: what each ambassador, coordinator and admin should act on today. The rules are
    the owners' (Action's querysets, tallies.is_inactive, ambassadors.scope.reviewers, the funding
    app's Opportunity and Milestone querysets); this only words them: a fixed number of queries,
    whatever the number of people or items.

    Funding deadlines are every deadline of the coming DEADLINE_EARLY_DAYS days: which of them
    a reader is told of depends on how often they read (hears_of_deadline, applied by
    plan_reminders)."""
    items = defaultdict(list)
    appointments = {
        appointment.city_id: appointment
        for appointment in Ambassador.objects.filter(status=Ambassador.Status.ACTIVE, user__is_active=True)
        .select_related("user")
        .order_by("city")
    }
    _inactivity_items(items, appointments, today=today)
    actions = Action.objects.filter(city__in=list(appointments))
    for kind, rows, date_field in (
        ("draft", actions.stale_drafts(now=now).order_by("created_at", "pk"), "created_at"),
        ("returned", actions.returned_not_resent(now=now).order_by("decided_at", "pk"), "decided_at"),
    ):
        for action in rows:
            items[appointments[action.city_id].user].append(
                {
                    "type": kind,
                    "action": action.pk,
                    "title": action.title,
                    "days": (now - getattr(action, date_field)).days,
                }
            )
    _target_items(items, appointments, today=today)
    _deadline_items(items, appointments, today=today)
    _milestone_items(items, appointments, today=today, now=now)
    everyone = reviewers()
    _waiting_items(items, everyone, now=now)
    _plan_review_items(items, everyone, now=now)
    # Terms ending in 60 or 30 days (terms.reminders), for the ambassador and the coordinators.
    for user, term_items in term_reminders.term_items(today=today, reviewers=everyone).items():
        items[user].extend(term_items)
    return items


def _inactivity_items(items, appointments, *, today):
    """The ambassador of an inactive city (tallies.is_inactive), once their appointment is older
    than the inactivity period itself: a new ambassador is not told off on their first day."""
    grace = datetime.timedelta(days=tallies.INACTIVE_AFTER_DAYS)
    for city in tallies.with_last_action(City.objects.filter(pk__in=list(appointments))):
        appointment = appointments[city.pk]
        days = tallies.days_since(city.last_action_on, today)
        if tallies.is_inactive(days) and today - appointment.appointed_on >= grace:
            items[appointment.user].append({"type": "inactive", "days": days, "ever": days is not None})


def _target_items(items, appointments, *, today):
    """Targets due within TARGET_DUE_DAYS, or overdue, and not achieved."""
    targets = (
        Target.objects.filter(city__in=list(appointments), due_on__lte=today + datetime.timedelta(days=TARGET_DUE_DAYS))
        .with_progress(today=today)
        .exclude(status=TargetStatus.ACHIEVED)
        .order_by("due_on", "pk")
    )
    for target in targets:
        items[appointments[target.city_id].user].append(
            {
                "type": "target_overdue" if target.due_on < today else "target_due",
                "target": target.pk,
                "city": target.city_id,
                "indicator": target.indicator.code,
                "name": wording_of(target.indicator, "name"),
                "due_on": target.due_on.isoformat(),
                "days": abs((target.due_on - today).days),
            }
        )


def _deadline_items(items, appointments, *, today):
    """The ambassador in office of a city: its opportunities still being prepared (identified or
    preparing) whose deadline is within DEADLINE_EARLY_DAYS. One query."""
    upcoming = (
        Opportunity.objects.filter(city__in=list(appointments))
        .upcoming_deadlines(today=today, within_days=DEADLINE_EARLY_DAYS)
        .select_related("funder")
    )
    for opportunity in upcoming:
        items[appointments[opportunity.city_id].user].append(
            {
                "type": "deadline",
                "opportunity": opportunity.pk,
                "title": opportunity.title,
                "funder": opportunity.funder_label,
                "deadline": opportunity.deadline.isoformat(),
                "days": (opportunity.deadline - today).days,
            }
        )


def _milestone_items(items, appointments, *, today, now):
    """The ambassador in office of a city: the overdue milestones of its plan in force. One query."""
    in_force = TransitionPlan.objects.in_force(on=now).filter(city__in=list(appointments))
    overdue = (
        Milestone.objects.filter(plan__in=in_force).overdue(today=today).select_related("plan").order_by("due_on", "pk")
    )
    for milestone in overdue:
        items[appointments[milestone.plan.city_id].user].append(
            {
                "type": "milestone_overdue",
                "milestone": milestone.pk,
                "plan": milestone.plan_id,
                "title": milestone.title,
                "overdue_since": milestone.due_on.isoformat(),
                "days": (today - milestone.due_on).days,
            }
        )


def _plan_review_items(items, everyone, *, now):
    """Each transition plan sent REVIEW_REMINDER_DAYS ago or more and not decided on, for
    everyone who may review it: funding.services.can_review_plan's rule (admins and the
    coordinators of its country, never one who sent it) for all of them at once. Two queries."""
    since = now - datetime.timedelta(days=REVIEW_REMINDER_DAYS)
    waiting = (
        TransitionPlan.objects.filter(status=TransitionPlan.Status.SUBMITTED, submitted_at__lt=since)
        .select_related("city")
        .prefetch_related(
            Prefetch(
                "status_changes",
                queryset=PlanStatusChange.objects.filter(to_status=TransitionPlan.Status.SUBMITTED),
                to_attr="submissions",
            )
        )
        .order_by("submitted_at", "pk")
    )
    for plan in waiting:
        senders = {change.by_id for change in plan.submissions}
        for reviewer in everyone:
            if reviewer.covers(plan.city.country_id) and reviewer.user.pk not in senders:
                items[reviewer.user].append(
                    {
                        "type": "plan_waiting",
                        "plan": plan.pk,
                        "city": plan.city.name,
                        "version": plan.version,
                        "days": (now - plan.submitted_at).days,
                    }
                )


def _waiting_items(items, everyone, *, now):
    """Each action waiting too long, for everyone who may review it (may_review: admins and the
    coordinators of its country, never its author)."""
    waiting = (
        Action.objects.waiting_for_review(now=now).select_related("city", "ambassador").order_by("submitted_at", "pk")
    )
    for action in waiting:
        for reviewer in everyone:
            if may_review(reviewer, action):
                items[reviewer.user].append(
                    {
                        "type": "waiting",
                        "action": action.pk,
                        "title": action.title,
                        "city": action.city.name,
                        "days": (now - action.submitted_at).days,
                    }
                )


def plan_reminders(*, today, now):
    """One reminder digest per person and period (a day, or an ISO week for weekly readers),
    with the funding deadlines their frequency tells them of (hears_of_deadline)."""
    items = reminder_items(today=today, now=now)
    preferences = preferences_of(list(items))
    digest_ids = []
    for user, user_items in items.items():
        frequency = preferences[user.pk].reminders
        user_items = _told_today(user_items, frequency)
        if frequency == EmailPreferences.Frequency.NEVER or not user.email or not user_items:
            continue
        with transaction.atomic():
            digest, created = Digest.objects.get_or_create(
                recipient=user,
                kind=Digest.Kind.REMINDERS,
                period_key=reminder_period_key(frequency, today),
                defaults={"items": user_items},
            )
            if created:
                _queue_email(digest, language=preferences[user.pk].language)
                term_reminders.term_reminders_record(recipient=user, items=user_items, at=now)
                digest_ids.append(digest.pk)
    return digest_ids


def last_week(today):
    """Monday to Sunday of the week before `today`'s."""
    monday = today - datetime.timedelta(days=today.weekday() + 7)
    return Period(monday, monday + datetime.timedelta(days=6))


def weekly_items(*, week, now):
    """{user: [summary, practice, …]}: what each person's weekly summary says. A coordinator: the
    week's figures of the cities of the countries they coordinate (every city for an admin among
    them) and the practices published there. A coordinator or an ambassador in office: the
    practices published on the commitments they follow. Each practice once. An ambassador with
    nothing new on what they follow is left out: no empty email. A fixed number of queries,
    whatever the number of people, cities or practices."""
    # Each coordinator with the countries they read (every country for an admin among them).
    coordinators = [
        Reviewer(user=row.user, countries=None if row.user.is_superuser else frozenset(row.country_codes))
        for row in active_coordinators()
    ]
    summaries = _coordinator_summaries(coordinators, week=week, now=now)
    practices = practice_figures.published_with_commitments(start=week.start, end=week.end)
    followed = practice_figures.followers_of(
        {commitment.pk for practice in practices for commitment in practice.commitments.all()}
    )
    items = {}
    for coordinator in coordinators:
        items[coordinator.user] = [
            summaries[coordinator.user],
            *_practice_items(practices, covers=coordinator.covers, followed=followed.get(coordinator.user.pk, set())),
        ]
    coordinating = {coordinator.user.pk for coordinator in coordinators}
    ambassadors = Ambassador.objects.filter(
        status=Ambassador.Status.ACTIVE,
        user__is_active=True,
        user__groups__name=AMBASSADORS_GROUP,
        user__in=[user_id for user_id in followed if user_id not in coordinating],
    ).select_related("user")
    for appointment in ambassadors:
        news = _practice_items(practices, covers=lambda country: False, followed=followed[appointment.user_id])
        if news:
            items[appointment.user] = [
                {"type": "summary", "start": week.start.isoformat(), "end": week.end.isoformat()}
            ]
            items[appointment.user] += news
    return items


def _coordinator_summaries(coordinators, *, week, now):
    """{user: the week's figures of the cities they coordinate}, in four queries for all of them:
    the figures of every city concerned (dashboards.city_activity, decisions_by_city) added up per
    coordinator, and the terms of their cities ending within 60 days (terms.reminders)."""
    if not coordinators:
        return {}
    cities = City.objects.in_network()
    if all(coordinator.countries is not None for coordinator in coordinators):
        cities = cities.filter(country__in={code for coordinator in coordinators for code in coordinator.countries})
    activity = sorted(
        dashboards.city_activity(cities=cities, period=week, today=week.end), key=lambda city: folded(city.name)
    )
    decisions = dashboards.decisions_by_city(cities=cities, period=week)
    ending = list(term_reminders.ending_terms(today=timezone.localdate(now)))
    summaries = {}
    for coordinator in coordinators:
        mine = [city for city in activity if coordinator.covers(city.country_id)]
        oldest = min((city.oldest_waiting for city in mine if city.oldest_waiting), default=None)
        summaries[coordinator.user] = {
            "type": "summary",
            "start": week.start.isoformat(),
            "end": week.end.isoformat(),
            "approved": sum(city.approved for city in mine),
            "people": sum(city.people["people"] for city in mine),
            "decisions": sum(decisions.get(city.pk, 0) for city in mine),
            "waiting": sum(city.waiting for city in mine),
            "oldest_waiting_days": (now - oldest).days if oldest else None,
            "cities": len(mine),
            "inactive": [city.name for city in mine if tallies.is_inactive(city.days_since)],
            "terms_ending": [
                {"city": term.city.name, "term_ends_on": term.term_ends_on.isoformat()}
                for term in ending
                if coordinator.covers(term.city.country_id)
            ],
        }
    return summaries


def _practice_items(practices, *, covers, followed):
    """The practices published in a country the reader `covers` (a function of a country code) or
    on a commitment in `followed` (ids), each once, with whether it is in the reader's countries
    (`in_scope`)."""
    items = []
    for practice in practices:
        commitments = list(practice.commitments.all())
        in_scope = covers(practice.city.country_id)
        if in_scope or any(commitment.pk in followed for commitment in commitments):
            items.append(
                {
                    "type": "practice",
                    "practice": practice.pk,
                    "title": practice.title,
                    "city": practice.city.name,
                    "commitments": [commitment.code for commitment in commitments],
                    "in_scope": in_scope,
                }
            )
    return items


def plan_weekly_summaries(*, today, now=None):
    """One weekly summary per person who wants it (EmailPreferences.weekly_summary) and has one
    (weekly_items): last week's, Monday to Sunday. A second run writes nothing more."""
    now = now or timezone.now()
    week = last_week(today)
    year, number, _weekday = week.start.isocalendar()
    key = f"{year}-W{number:02d}"
    items = weekly_items(week=week, now=now)
    preferences = preferences_of(list(items))
    digest_ids = []
    for user, user_items in items.items():
        if not preferences[user.pk].weekly_summary or not user.email:
            continue
        with transaction.atomic():
            digest, created = Digest.objects.get_or_create(
                recipient=user, kind=Digest.Kind.WEEKLY_SUMMARY, period_key=key, defaults={"items": user_items}
            )
            if created:
                _queue_email(digest, language=preferences[user.pk].language)
                digest_ids.append(digest.pk)
    return digest_ids


def _links():
    site = settings.SITE_URL
    return {
        "site_url": site,
        "preferences_url": site + reverse("reports:email_preferences"),
        "review_url": site + reverse("commitments:review_queue"),
    }


def _readable(digest, language):
    """The digest's items with links and labels in the active language."""
    site = settings.SITE_URL
    readable = []
    for item in digest.items:
        item = dict(item)
        if "report" in item:
            period = Period(datetime.date.fromisoformat(item["start"]), datetime.date.fromisoformat(item["end"]))
            item["period_label"] = period_label(item["kind"], period)
            item["url"] = site + reverse("reports:report", args=[item["report"]])
            if "scope" in item:  # a scope's report: its name in the reader's language
                item["city"] = scope_title(item["scope"], item["country"])
        if "action" in item:
            item["url"] = site + reverse("commitments:action", args=[item["action"]])
        if "practice" in item:
            item["url"] = site + reverse("practices:practice", args=[item["practice"]])
        if "opportunity" in item:
            item["url"] = site + reverse("funding:opportunity", args=[item["opportunity"]])
            item["deadline"] = datetime.date.fromisoformat(item["deadline"])
        if "plan" in item:
            item["url"] = site + reverse("funding:plan", args=[item["plan"]])
        if item.get("type") == "term_ending":
            item["term_ends_on"] = datetime.date.fromisoformat(item["term_ends_on"])
            item["url"] = site + reverse("reports:my_city" if item["own"] else "terms:terms")
        if "overdue_since" in item:
            item["overdue_since"] = datetime.date.fromisoformat(item["overdue_since"])
        if "name" in item:
            item["name"] = item["name"].get(language) or item["name"].get(settings.LANGUAGE_CODE, "")
        if "due_on" in item:
            item["due_on"] = datetime.date.fromisoformat(item["due_on"])
            item["url"] = site + reverse("reports:city_progress", args=[item["city"]])
        if item.get("type") == "summary":
            item["start"], item["end"] = (datetime.date.fromisoformat(item[key]) for key in ("start", "end"))
            item["terms_ending"] = [
                {**term, "term_ends_on": datetime.date.fromisoformat(term["term_ends_on"])}
                for term in item.get("terms_ending", [])
            ]
        readable.append(item)
    return readable
