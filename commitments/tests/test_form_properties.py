"""Property-based tests of the action, target and review forms, posted through the real views.

Whatever is posted (any Unicode with NUL bytes, right-to-left marks and emoji, very long text,
negative, huge or non-numeric numbers, dates from year 1 to 9999 or malformed, missing fields,
tampered formset management forms), the answer is one of two:

- the form again (200) with an error message on the page, and nothing saved: every row of
  every table of the app (M2M links and audit trail included) is as it was;
- a redirect, after which the database holds what was typed, normalised as the form's fields do.

Never a 500: the test client re-raises a view's exception, which fails the example. Each example
runs in a savepoint rolled back at its end, so every example starts from the fixtures' data.
Surrogates are left out: they cannot be encoded in UTF-8, so no browser can send them.
"""

import datetime
import operator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django import forms
from django.apps import apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from hypothesis import HealthCheck, Phase, event, given, note
from hypothesis import strategies as st

from commitments import services
from commitments.forms import ActionForm, IndicatorValuesForm, LinkForm, ReviewForm, TargetForm
from commitments.models import Action, ActionStatusChange, Commitment, Horizon, Indicator, Target
from commitments.tests.factories import ActionFactory
from core.tests.helpers import examples as profile_examples

pytestmark = pytest.mark.django_db


def examples(count):
    return profile_examples(
        count,
        deadline=None,
        # No "explain" phase: it replays a failure a hundred times, minutes with these examples.
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


class Missing:
    def __repr__(self):
        return "MISSING"


# Leave the field out of the POST, as a hand-made request may.
MISSING = Missing()

ACTION_FORMS = ("form", "values_form", "links")

# Inputs ----------------------------------------------------------------------------------

# The largest amount the forms take: 15 significant digits, what SQLite keeps exactly.
LARGEST = Decimal("9999999999999.99")
ANY_CHAR = st.characters(exclude_categories=["Cs"])  # NUL included
TYPED_CHAR = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
TRICKY = [
    "",
    " ",
    "\t\n ",
    "\x00",
    "a\x00b",
    "\u202eevil\u202c",  # right-to-left override
    "مياه نظيفة للجميع",
    "מים לכולם",
    "👩🏽‍🌾💧🌎🏳️‍🌈",
    "\ufeffBOM",
    "e\u0301\u0301\u0301",
    "\u200b\u200d",
    "a\r\nb\u2028c\u2029",
    "<script>alert(1)</script>",
    "'; DROP TABLE commitments_action; --",
    "%s %(x)s {{ x }} {% now 'Y' %}",
    "ñandú «Lima» — “agua”",
]
ANY_TEXT = st.one_of(
    st.text(ANY_CHAR, max_size=60),
    st.sampled_from(TRICKY),
    # Very long: up to 20,000 characters (still far below DATA_UPLOAD_MAX_MEMORY_SIZE).
    st.builds(operator.mul, st.text(ANY_CHAR, min_size=1, max_size=4), st.integers(1, 5_000)),
    st.integers(195, 205).map(lambda n: "é" * n),  # around the 200 characters of titles
)
ANY_TEXT_OR_MISSING = st.one_of(ANY_TEXT, st.just(MISSING))


def typed_text(max_size):
    """What a person may type: any Unicode but NUL."""
    return st.one_of(
        st.text(TYPED_CHAR, max_size=min(max_size, 80)),
        st.sampled_from([text for text in TRICKY if "\x00" not in text]),
    )


def not_blank(text):
    return text if text.strip() else f"x{text}"


TYPED_TITLE = st.one_of(
    st.text(TYPED_CHAR, min_size=1, max_size=199).map(not_blank),
    st.sampled_from(["Jornada de limpieza", "مياه نظيفة", "💧 Agua", "\u202eevil\u202c", "Línea 1\nlínea 2"]),
)
TYPED_LONG_TEXT = st.one_of(
    typed_text(300),
    st.builds(operator.mul, st.text(TYPED_CHAR, min_size=1, max_size=4), st.integers(1, 5_000)),
)

BAD_NUMBERS = [
    "",
    " ",
    "-1",
    "-0",
    "+5",
    "1.0",
    "1.5",
    "1e3",
    "0x10",
    "1_000",
    "1,000",
    "1.000",
    "١٢",  # Arabic-Indic digits
    "１２",  # noqa: RUF001 - full-width digits
    "NaN",
    "inf",
    "abc",
    "\x00",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775807",
    "9223372036854775808",
    "99999999999999999999999999",
]
ANY_NUMBER = st.one_of(
    st.sampled_from(BAD_NUMBERS),
    st.integers(-(10**25), 10**25).map(str),
    # Sums that overflow 32 and 64 bits; the form's cap on people.
    st.sampled_from(["2147483647", "1073741824", "4611686018427387904", "100000000", "100000001"]),
    ANY_TEXT,
)
BAD_DECIMALS = [
    "-0.01",
    "0.001",
    "1e-3",
    "1E+20",
    "100.01",
    "9999999999999.99",
    "10000000000000",
    "99999999999999.95",
    "Infinity",
    "-Infinity",
    "sNaN",
    "1,5",
    "0,5",
]
ANY_DECIMAL = st.one_of(
    st.sampled_from(BAD_DECIMALS),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    ANY_NUMBER,
)
BAD_DATES = [
    "0001-01-01",
    "9999-12-31",
    "0000-01-01",
    "10000-01-01",
    "-0001-01-01",
    "2026-02-30",
    "2026-02-29",
    "2024-02-29",
    "2026-13-01",
    "2026-1-1",
    "1-01-01",
    "31/12/2025",
    "12/31/2025",
    "2026-01-01T10:00",
    "ayer",
    "",
    "\x00",
]
ANY_DATE = st.one_of(
    st.sampled_from(BAD_DATES),
    st.dates().map(datetime.date.isoformat),  # year 1 to 9999
    ANY_TEXT,
)
BAD_PKS = ["", "0", "-1", "abc", "1.0", "1e3", "١", "99999999999999999999999", "9223372036854775808", "\x00"]  # noqa: RUF001
BAD_URLS = [
    "javascript:alert(1)",
    "data:text/html,<b>x</b>",
    "http://",
    "ftp://example.org/x",
    "https://例え.テスト/パス",
    "https://example.org/" + "a" * 600,
    "https://exa mple.org",
    "//example.org",
    "https://[::1",
    "https://example.org/\x00",
]
TYPED_URLS = [
    "https://example.org/nota",
    "http://example.org/informe?id=3&p=1",
    "example.org/sin-esquema",
    "https://ñandú.example/ruta",
    "https://example.org/%E2%9C%93",
]


def date_as_typed(value):
    """A date as a browser's date input (ISO) or as a person types it in Spanish (d/m/Y)."""
    return st.sampled_from([value.isoformat(), f"{value.day:02}/{value.month:02}/{value.year:04}"])


# Posting and checking ----------------------------------------------------------------------


@contextmanager
def rolled_back():
    """Run an example in a savepoint and undo it: each example starts from the same data."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def post(client, url, sent):
    """POST as a browser's form does (urlencoded), leaving out the MISSING fields."""
    fields = {name: value for name, value in sent.items() if value is not MISSING}
    return client.post(url, urlencode(fields, doseq=True), content_type="application/x-www-form-urlencoded")


def as_querydict(sent):
    fields = {name: value for name, value in sent.items() if value is not MISSING}
    return QueryDict(urlencode(fields, doseq=True))


def snapshot():
    """Every row of every table of the app (M2M links and audit trail included)."""
    models = apps.get_app_config("commitments").get_models(include_auto_created=True)
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}


def row_counts(state):
    return {label: len(rows) for label, rows in state.items()}


def form_values(response, names):
    """What a browser posts back from the page untouched: each field of the named forms and
    formsets (management forms included) with the value the page shows."""
    sent = {}
    for name in names:
        form_or_formset = response.context[name]
        if isinstance(form_or_formset, forms.BaseFormSet):
            all_forms = [form_or_formset.management_form, *form_or_formset.forms]
        else:
            all_forms = [form_or_formset]
        for form in all_forms:
            for bound in form:
                widget, value = bound.field.widget, bound.value()
                if isinstance(widget, forms.CheckboxInput):
                    if widget.check_test(value):
                        sent[bound.html_name] = "on"
                elif getattr(widget, "allow_multiple_selected", False):
                    sent[bound.html_name] = [str(item) for item in value or []]
                else:
                    shown = widget.format_value(value)
                    if isinstance(shown, list):  # a select: its selected option
                        shown = shown[0] if shown else ""
                    sent[bound.html_name] = "" if shown is None else str(shown)
    return sent


def error_messages(response, names, *, formsets_own=False):
    """The errors of the named forms and formsets; with formsets_own, only the formsets' own
    (their management form's), which the action page does not show one by one."""
    messages = []
    with translation.override("es"):
        for name in names:
            form_or_formset = response.context[name]
            if isinstance(form_or_formset, forms.BaseFormSet):
                all_forms = form_or_formset.forms
                messages += [str(error) for error in form_or_formset.non_form_errors()]
            else:
                all_forms = [form_or_formset]
            if formsets_own:
                continue
            for form in all_forms:
                for errors in form.errors.get_json_data().values():
                    messages += [error["message"] for error in errors]
    return messages


# The action page's alert above the form, shown whatever the errors.
REVIEW_THE_FIELDS = "Revise los campos marcados: no se perdió nada de lo que escribió."


def assert_refused(response, before, names):
    """The form again with its errors shown, and not one row changed."""
    event("refused")
    assert response.status_code == 200, f"neither the form again nor a redirect: {response.status_code}"
    messages = error_messages(response, names)
    note(f"errors: {messages}")
    assert messages, "the form came back without an error"
    page = response.content.decode()
    if not any(escape(message) in page for message in messages):
        # Only a hand-made post spoils a formset's management form: the page then says no more
        # than its general alert (it does not show the formsets' own errors).
        assert messages == error_messages(response, names, formsets_own=True), f"no error is shown: {messages}"
        assert escape(REVIEW_THE_FIELDS) in page, f"no error is shown: {messages}"
    after = snapshot()
    assert row_counts(after) == row_counts(before)
    assert after == before, "a refused post changed the database"


def assert_lands(client, response, expected_url):
    event("saved")
    assert response.status_code == 302, response.status_code
    assert response.url == expected_url
    assert client.get(response.url).status_code == 200


def cleaned(form_field, sent, name):
    """The value `form_field` makes of what was posted under `name`: the form's normalisation."""
    return form_field.clean(form_field.widget.value_from_datadict(as_querydict(sent), {}, name))


def is_valid(form_field, sent, name):
    try:
        cleaned(form_field, sent, name)
    except ValidationError:
        return False
    return True


# The action form ---------------------------------------------------------------------------


@dataclass
class ActionPage:
    """What an action form offers, to draw posts that fit it; `base` is what the page posts
    back untouched. Pages are read once per test: every example is rolled back."""

    url: str
    commitment: Commitment
    city: object
    focus_area_ids: list
    foreign_area_ids: list
    city_ids: list
    indicators: list
    base: dict
    action: Action | None = None
    commitment_ids: list = field(default_factory=list)
    initial_links: list = field(default_factory=list)

    @property
    def groups(self):
        return [
            "title",
            "description",
            "outcome",
            "partners",
            "dates",
            "counts",
            "focus_areas",
            "cities_involved",
            "good_practice",
            "values",
            "links",
            *(["commitment"] if self.action else []),
        ]


def action_page(client, url, *, commitment, city, action=None):
    response = client.get(url)
    assert response.status_code == 200
    other_commitment = Commitment.objects.exclude(pk=commitment.pk).first()
    return ActionPage(
        url=url,
        commitment=commitment,
        city=city,
        focus_area_ids=list(commitment.focus_areas.filter(active=True).values_list("pk", flat=True)),
        foreign_area_ids=list(other_commitment.focus_areas.values_list("pk", flat=True)[:2]),
        city_ids=[city.pk for city in response.context["form"].fields["cities_involved"].queryset],
        indicators=list(commitment.indicators.filter(active=True).values_list("pk", "kind")),
        base=form_values(response, ACTION_FORMS),
        action=action,
        commitment_ids=list(Commitment.objects.active().values_list("pk", flat=True)),
        initial_links=list(action.evidence.filter(file="").values("url", "title")) if action else [],
    )


def typed_count(low, high):
    return st.one_of(st.none(), st.integers(low, high))


@st.composite
def typed_counts(draw):
    """People reached and its breakdown, consistent: the parts never add up above the total."""
    people = draw(typed_count(0, 100_000_000))  # the form's cap
    if people is None:
        women, men, other, youth = (draw(typed_count(0, 10**6)) for _ in range(4))
    else:
        women = draw(typed_count(0, people))
        men = draw(typed_count(0, people - (women or 0)))
        other = draw(typed_count(0, people - (women or 0) - (men or 0)))
        youth = draw(typed_count(0, people))
    values = {"people": people, "women": women, "men": men, "other": other, "youth": youth}
    return {f"{key}_reached": "" if value is None else str(value) for key, value in values.items()}


@st.composite
def typed_dates(draw):
    started = draw(st.one_of(st.none(), st.dates(datetime.date(2000, 1, 1), datetime.date(2030, 12, 31)), st.dates()))
    ended = None
    if started is not None and draw(st.booleans()):
        try:
            ended = started + datetime.timedelta(days=draw(st.integers(0, 800)))
        except OverflowError:
            ended = None
    return {
        "started_on": "" if started is None else draw(date_as_typed(started)),
        "ended_on": "" if ended is None else draw(date_as_typed(ended)),
    }


def indicator_value(kind, *, hostile):
    if kind == Indicator.Kind.YES_NO:
        if hostile:
            return st.one_of(st.sampled_from(["2", "-1", "sí", "true", "1.0", " 1"]), ANY_TEXT_OR_MISSING)
        return st.sampled_from(["", "1", "0"])
    if hostile:
        return st.one_of(ANY_DECIMAL, st.just(MISSING))
    high = Decimal(100) if kind == Indicator.Kind.PERCENTAGE else LARGEST
    return st.one_of(st.just(""), st.decimals(0, high, places=2).map(str), st.integers(0, 100).map(str))


TYPED_LINK = st.fixed_dictionaries({"url": st.sampled_from(TYPED_URLS), "title": typed_text(200)})
BLANK_LINK = {"url": "", "title": ""}
HOSTILE_LINK_FIELDS = {
    "url": st.one_of(st.sampled_from(BAD_URLS), ANY_TEXT),
    "title": ANY_TEXT,
    "DELETE": ANY_TEXT,
}
# 1000 and more: Django caps a formset at max_num + 1000 forms, all of them shown again.
HOSTILE_COUNTS = ["", "abc", "-1", "0", "7", "1000", "99999999999999999999"]


def draw_formset(draw, sent, prefix, *, fields, typed, blank, hostile_fields, hostile):
    """Rewrite a formset's part of the post: the initial rows kept, changed or deleted, new rows
    added, maybe the blank extra row the page shows; a hostile post then spoils one thing."""
    initial_count = int(sent[f"{prefix}-INITIAL_FORMS"])
    initial = [{name: sent[f"{prefix}-{index}-{name}"] for name in fields} for index in range(initial_count)]
    for name in [name for name in sent if name.startswith(f"{prefix}-")]:
        del sent[name]
    rows = []
    for row in initial:
        choice = draw(st.sampled_from(["keep", "change", "delete"]))
        rows.append(row if choice == "keep" else draw(typed) if choice == "change" else {**row, "DELETE": "on"})
    rows += draw(st.lists(typed, max_size=3))
    if draw(st.booleans()):
        rows.append(dict(blank))
    management = {"TOTAL_FORMS": str(len(rows)), "INITIAL_FORMS": str(len(initial))}
    if hostile:
        spoil = draw(st.sampled_from(["field", "field", "partial", "total", "initial", "management"]))
        if spoil == "field" and rows:
            row = draw(st.sampled_from(rows))
            name = draw(st.sampled_from(sorted(hostile_fields)))
            row[name] = draw(st.one_of(hostile_fields[name], st.just(MISSING)))
        elif spoil in ("field", "partial"):
            name = draw(st.sampled_from(fields))
            rows.append({**dict.fromkeys(fields, ""), name: draw(hostile_fields.get(name, ANY_TEXT))})
            management["TOTAL_FORMS"] = str(len(rows))
        elif spoil in ("total", "initial"):
            key = "TOTAL_FORMS" if spoil == "total" else "INITIAL_FORMS"
            management[key] = draw(st.one_of(st.sampled_from(HOSTILE_COUNTS), st.just(MISSING)))
        else:
            management = {"TOTAL_FORMS": MISSING, "INITIAL_FORMS": MISSING}
    for key, value in management.items():
        sent[f"{prefix}-{key}"] = value
    for index, row in enumerate(rows):
        for name, value in row.items():
            sent[f"{prefix}-{index}-{name}"] = value


@st.composite
def action_posts(draw, page):
    """A post of the action form: in half of them a few groups of fields are spoilt; the other
    groups are typed anew, or on an edit maybe left as the page showed them."""
    sent = dict(page.base)
    spoilt = draw(st.integers(0, 5).map(lambda n: max(0, n - 2)))
    broken = set(draw(st.lists(st.sampled_from(page.groups), min_size=spoilt, max_size=spoilt, unique=True)))
    for group in page.groups:
        hostile = group in broken
        if not hostile and page.action is not None and draw(st.booleans()):
            continue
        if group == "title":
            sent["title"] = draw(ANY_TEXT_OR_MISSING if hostile else TYPED_TITLE)
        elif group in ("description", "outcome", "partners"):
            sent[group] = draw(ANY_TEXT_OR_MISSING if hostile else TYPED_LONG_TEXT)
        elif group == "dates":
            if hostile:
                for name in ("started_on", "ended_on"):
                    sent[name] = draw(st.one_of(ANY_DATE, st.just(MISSING)))
            else:
                sent.update(draw(typed_dates()))
        elif group == "counts":
            sent.update(draw(typed_counts()))
            if hostile:
                names = ["people_reached", "women_reached", "men_reached", "other_reached", "youth_reached"]
                # Any numbers, or large ones in several parts at once (their sum overflowing).
                large = st.sampled_from(["2147483647", "1073741824", "100000000", "100000001", "99999999"])
                spoiler = draw(st.sampled_from([st.one_of(ANY_NUMBER, st.just(MISSING)), large]))
                for name in draw(st.sets(st.sampled_from(names), min_size=1)):
                    sent[name] = draw(spoiler)
        elif group in ("focus_areas", "cities_involved"):
            ids = page.focus_area_ids if group == "focus_areas" else page.city_ids
            picked = [str(pk) for pk in draw(st.lists(st.sampled_from(ids), unique=True))] if ids else []
            if hostile:
                wrong = page.foreign_area_ids if group == "focus_areas" else [page.city.pk]
                picked += draw(
                    st.lists(st.one_of(st.sampled_from(BAD_PKS), st.sampled_from(wrong).map(str)), min_size=1)
                )
            sent[group] = picked
        elif group == "good_practice":
            sent["good_practice"] = draw(ANY_TEXT if hostile else st.sampled_from(["on", MISSING]))
        elif group == "values":
            for pk, kind in page.indicators:
                spoil_this = hostile and draw(st.booleans())
                sent[f"values-indicator_{pk}"] = draw(indicator_value(kind, hostile=spoil_this))
            if hostile:
                sent["values-indicator_999999"] = draw(ANY_DECIMAL)
        elif group == "links":
            draw_formset(
                draw,
                sent,
                group,
                fields=list(BLANK_LINK),
                typed=TYPED_LINK,
                blank=BLANK_LINK,
                hostile_fields=HOSTILE_LINK_FIELDS,
                hostile=hostile,
            )
        elif group == "commitment":
            choices = (
                st.one_of(st.sampled_from(BAD_PKS), st.just(MISSING))
                if hostile
                else st.sampled_from(page.commitment_ids)
            )
            sent["commitment"] = str(draw(choices)) if not hostile else draw(choices)
    button = draw(st.sampled_from(["save", "submit", None]))
    if button:
        sent[button] = ""
    return sent


def expected_rows(sent, prefix, form_class, *, initial):
    """The rows a formset must save: its initial rows unless deleted, touched or not, and the
    extra rows where something was typed, in their order; each as its form cleans it."""
    plain = forms.formset_factory(form_class, can_delete=True, max_num=20)(as_querydict(sent), prefix=prefix)
    rows = []
    for index in range(plain.total_form_count()):
        extra = index >= plain.initial_form_count()
        form = form_class(
            as_querydict(sent),
            prefix=f"{prefix}-{index}",
            initial=initial[index] if index < len(initial) else None,
            empty_permitted=extra,
            use_required_attribute=False,
        )
        form.fields["DELETE"] = forms.BooleanField(required=False)
        if (not extra or form.has_changed()) and form.is_valid() and not form.cleaned_data["DELETE"]:
            rows.append(form.cleaned_data)
    return rows


def submission_possible(action):
    return (
        action.started_on is not None
        and action.started_on <= timezone.localdate()
        and action.description.strip() != ""
        and (not action.commitment.focus_areas.exists() or action.focus_areas.exists())
    )


def must_be_refused(sent):
    """Posts that any reading of the form refuses: no title, or a NUL byte in a text."""
    title = sent.get("title", MISSING)
    texts = [sent.get(name, "") for name in ("title", "description", "outcome", "partners")]
    return title is MISSING or not title.strip() or any("\x00" in text for text in texts if text is not MISSING)


def check_action_answer(client, response, *, page, sent, before):
    note(f"posted: {sent!r}"[:3000])
    if response.status_code != 302:
        assert_refused(response, before, ACTION_FORMS)
        return
    assert not must_be_refused(sent), "a post the form must refuse was saved"
    form = ActionForm(commitment=page.commitment, city=page.city, include_commitment=page.action is not None)
    if page.action is None:
        [action] = Action.objects.exclude(pk__in=[row["id"] for row in before["commitments.Action"]])
        assert (action.city, action.ambassador.user.username) == (page.city, "alicia")
    else:
        action = Action.objects.get(pk=page.action.pk)
    for name in Action.AUTHOR_FIELDS:
        assert getattr(action, name) == cleaned(form.fields[name], sent, name), name

    commitment = cleaned(form.fields["commitment"], sent, "commitment") if page.action else page.commitment
    changed_commitment = commitment != page.commitment
    assert action.commitment == commitment
    areas = set(action.focus_areas.values_list("pk", flat=True))
    if changed_commitment:
        assert areas == set()  # they were the old commitment's
    else:
        assert areas == {area.pk for area in cleaned(form.fields["focus_areas"], sent, "focus_areas")}
    cities = {city.pk for city in cleaned(form.fields["cities_involved"], sent, "cities_involved")}
    assert set(action.cities_involved.values_list("pk", flat=True)) == cities

    values_form = IndicatorValuesForm(commitment=page.commitment, prefix="values")
    typed_values = {
        pk: cleaned(values_form.fields[f"indicator_{pk}"], sent, f"values-indicator_{pk}") for pk, _ in page.indicators
    }
    expected = {} if changed_commitment else {pk: value for pk, value in typed_values.items() if value is not None}
    assert dict(action.indicator_values.values_list("indicator_id", "value")) == expected

    links = {row["url"]: row["title"] for row in expected_rows(sent, "links", LinkForm, initial=page.initial_links)}
    assert dict(action.evidence.filter(file="").values_list("url", "title")) == links

    status_before = page.action.status if page.action else Action.Status.DRAFT
    submitted = "submit" in sent and not changed_commitment and submission_possible(action)
    assert action.status == (Action.Status.SUBMITTED if submitted else status_before)
    previous_changes = sum(row["action_id"] == action.pk for row in before["commitments.ActionStatusChange"])
    changes = ActionStatusChange.objects.filter(action=action).count()
    assert changes == previous_changes + (page.action is None) + submitted
    assert Target.objects.count() == len(before["commitments.Target"])

    edit_url = reverse("commitments:action_edit", args=[action.pk])
    if changed_commitment:
        expected_url = edit_url  # to choose the new commitment's areas and indicators
    elif "submit" in sent and not submitted:
        expected_url = f"{edit_url}?enviar=1"  # what is missing is shown there
    else:
        expected_url = reverse("commitments:action", args=[action.pk])
    assert_lands(client, response, expected_url)
    return action


def without(rows, *names):
    return [{key: value for key, value in row.items() if key not in names} for row in rows]


def assert_untouched_save_keeps_everything(client, action):
    """The edit form shows what was saved so that saving it again, untouched, keeps it all."""
    edit_url = reverse("commitments:action_edit", args=[action.pk])
    untouched = {**form_values(client.get(edit_url), ACTION_FORMS), "save": ""}
    before = snapshot()
    response = post(client, edit_url, untouched)
    if response.status_code != 302:
        note(f"untouched save refused: {error_messages(response, ACTION_FORMS)}")
    assert_lands(client, response, reverse("commitments:action", args=[action.pk]))
    after = snapshot()
    for label in after:
        if label.startswith("commitments.Historical"):
            continue  # a save is an entry in the audit trail, by design
        # The action's updated_at moves.
        ignored = {"commitments.Action": ["updated_at"]}.get(label, [])
        assert without(after[label], *ignored) == without(before[label], *ignored), f"untouched save changed {label}"


@pytest.fixture
def pages():
    """Pages read once per test, by url (every example is rolled back)."""
    return {}


def lima_commitment(code):
    axis, number = code.split(".")
    return Commitment.objects.with_axis().get(axis__number=axis, number=number)


@examples(50)
@given(data=st.data())
def test_the_new_action_form_saves_what_was_typed_or_refuses_it_whole(
    client_for, ambassador, other_ambassador, pages, data
):
    client = client_for(ambassador)
    # 3.1 has focus areas and number and percentage indicators; 1.3 adds a yes / no indicator.
    commitment = lima_commitment(data.draw(st.sampled_from(["3.1", "1.3"]), label="commitment"))
    url = reverse("commitments:action_create", args=[commitment.pk])
    city = services.active_appointment(ambassador).city
    page = pages.get(url) or pages.setdefault(url, action_page(client, url, commitment=commitment, city=city))
    with rolled_back():
        sent = data.draw(action_posts(page), label="post")
        before = snapshot()
        response = post(client, url, sent)
        action = check_action_answer(client, response, page=page, sent=sent, before=before)
        if action is not None and action.is_editable:
            assert_untouched_save_keeps_everything(client, action)


PEOPLE_FIELDS = ["people_reached", "women_reached", "men_reached", "other_reached", "youth_reached"]


@examples(40)
@given(data=st.data())
def test_the_people_figures_are_saved_or_refused_whatever_their_size(
    client_for, ambassador, other_ambassador, commitment, pages, data
):
    """The figures alone, everything else valid: small, negative, huge (their sum beyond 32 or
    64 bits), not numbers at all, or left out."""
    client = client_for(ambassador)
    url = reverse("commitments:action_create", args=[commitment.pk])
    city = services.active_appointment(ambassador).city
    page = pages.get(url) or pages.setdefault(url, action_page(client, url, commitment=commitment, city=city))
    figures = st.one_of(
        st.integers(0, 1000).map(str),
        st.sampled_from(["2147483647", "1073741824", "4611686018427387904", "100000000", "100000001", ""]),
        ANY_NUMBER,
        st.just(MISSING),
    )
    with rolled_back():
        sent = {**page.base, "title": "Taller", "save": ""}
        sent.update({name: data.draw(figures, label=name) for name in PEOPLE_FIELDS})
        before = snapshot()
        response = post(client, url, sent)
        check_action_answer(client, response, page=page, sent=sent, before=before)


@pytest.fixture
def rich_actions(ambassador, other_ambassador, coordinator, commitment):
    """A draft and a returned action of Lima's, with every detail filled in."""
    actions = {}
    for status in (Action.Status.DRAFT, Action.Status.RETURNED):
        action = ActionFactory(by=ambassador, people_reached=40, women_reached=20, good_practice=True)
        services.action_update(
            action=action,
            by=ambassador,
            data={},
            cities_involved=[services.active_appointment(other_ambassador).city],
            indicator_values={commitment.indicators.get(code="3.1-a").pk: Decimal("12.5")},
            links=[
                {"url": "https://example.org/acta", "title": "Acta"},
                {"url": "https://example.org/fotos", "title": ""},
            ],
        )
        if status == Action.Status.RETURNED:
            services.action_submit(action=action, by=ambassador)
            services.action_return(action=action, by=coordinator, comment="Corrija la fecha.")
        actions[status] = Action.objects.select_related("commitment__axis", "city").get(pk=action.pk)
    return actions


@examples(50)
@given(data=st.data())
def test_the_edit_form_saves_what_was_typed_or_leaves_the_action_as_it_was(
    client_for, ambassador, rich_actions, pages, data
):
    client = client_for(ambassador)
    action = rich_actions[data.draw(st.sampled_from(sorted(rich_actions)), label="status")]
    url = reverse("commitments:action_edit", args=[action.pk])
    page = pages.get(url) or pages.setdefault(
        url, action_page(client, url, commitment=action.commitment, city=action.city, action=action)
    )
    with rolled_back():
        sent = data.draw(action_posts(page), label="post")
        before = snapshot()
        response = post(client, url, sent)
        check_action_answer(client, response, page=page, sent=sent, before=before)


# The target forms --------------------------------------------------------------------------

TARGET_FIELDS = ["indicator", "horizon", "baseline", "baseline_year", "target_value", "due_on"]


@dataclass
class TargetPage:
    url: str
    indicators: list  # (pk, direction) of the active ones
    inactive_indicator: int
    base: dict
    target: Target | None = None


@pytest.fixture
def target_indicators(commitment):
    """A "lower is better" indicator to aim down on, and an inactive one no form offers."""
    lower = Indicator.objects.create(
        commitment=commitment,
        code="3.1-z",
        name_es="Pérdidas de agua",
        unit_es="%",
        kind=Indicator.Kind.PERCENTAGE,
        direction=Indicator.Direction.DECREASE,
        aggregation=Indicator.Aggregation.PER_PERIOD,
    )
    retired = Indicator.objects.create(
        commitment=commitment, code="3.1-y", name_es="Retirado", unit_es="u", active=False
    )
    return lower, retired


def target_page(client, url, *, retired, target=None):
    response = client.get(url)
    assert response.status_code == 200
    return TargetPage(
        url=url,
        indicators=list(Indicator.objects.filter(active=True).values_list("pk", "direction")),
        inactive_indicator=retired.pk,
        base=form_values(response, ["form"]),
        target=target,
    )


@st.composite
def typed_target(draw, page):
    """A target the form takes: the goal beyond the baseline in the indicator's direction, due
    after the baseline year (up to 9999)."""
    indicator, direction = draw(st.sampled_from(page.indicators))
    first, second = (draw(st.decimals(0, LARGEST, places=2)) for _ in range(2))
    if first == second:
        second = first + Decimal("0.01") if first < LARGEST else first - Decimal("0.01")
    low, high = sorted([first, second])
    baseline, goal = (low, high) if direction == Indicator.Direction.INCREASE else (high, low)
    baseline_year = draw(st.integers(1990, 2100))
    due_on = draw(st.dates(datetime.date(baseline_year + 1, 1, 1)))
    return {
        "indicator": str(indicator),
        "horizon": draw(st.sampled_from(Horizon.values)),
        "baseline": str(baseline),
        "baseline_year": str(baseline_year),
        "target_value": str(goal),
        "due_on": draw(date_as_typed(due_on)),
    }


BAD_YEARS = ["1989", "2101", "0", "-5", "32767", "32768", "65536", "9223372036854775807", "2025.0", "２０２５"]  # noqa: RUF001


@st.composite
def target_posts(draw, page):
    """A post of the target form: typed values, or on an edit some kept as shown; in half of the
    posts one to three fields spoilt."""
    typed = draw(typed_target(page))
    sent = dict(page.base)
    for name in TARGET_FIELDS:
        if page.target is None or draw(st.booleans()):
            sent[name] = typed[name]
    spoilt = draw(st.integers(0, 5).map(lambda n: max(0, n - 2)))
    hostile = {
        "indicator": st.one_of(st.sampled_from([*BAD_PKS, str(page.inactive_indicator)]), st.just(MISSING)),
        "horizon": st.one_of(st.sampled_from(["", "SHORT", "corto", "Short "]), ANY_TEXT_OR_MISSING),
        "baseline": st.one_of(ANY_DECIMAL, st.just(MISSING), st.just(typed["target_value"])),
        "baseline_year": st.one_of(st.sampled_from(BAD_YEARS), ANY_NUMBER, st.just(MISSING)),
        "target_value": st.one_of(ANY_DECIMAL, st.just(MISSING), st.just(typed["baseline"])),
        "due_on": st.one_of(ANY_DATE, st.just(MISSING), st.just(f"{typed['baseline_year']}-12-31")),
    }
    for name in draw(st.lists(st.sampled_from(TARGET_FIELDS), min_size=spoilt, max_size=spoilt, unique=True)):
        sent[name] = draw(hostile[name])
    return sent


def target_should_be_saved(sent, *, city, target):
    """The whole rule, read off the post: every field clean, the target's own checks, and no
    other target of the city on the same indicator and horizon."""
    fields = TargetForm().fields
    try:
        value = {name: cleaned(fields[name], sent, name) for name in TARGET_FIELDS}
    except ValidationError:
        return None
    going_up = value["indicator"].direction == Indicator.Direction.INCREASE
    taken = Target.objects.filter(city=city, indicator=value["indicator"], horizon=value["horizon"])
    if target is not None:
        taken = taken.exclude(pk=target.pk)
    fine = (
        value["baseline"] >= 0
        and value["target_value"] >= 0
        and 1990 <= value["baseline_year"] <= 2100
        and value["due_on"].year > value["baseline_year"]
        and (value["target_value"] > value["baseline"] if going_up else value["target_value"] < value["baseline"])
        and not taken.exists()
    )
    return value if fine else None


def check_target_answer(client, response, *, page, sent, expected, before, city, user):
    note(f"posted: {sent!r}"[:2000])
    if expected is None:
        assert_refused(response, before, ["form"])
        return
    assert response.status_code == 302, f"a target the rules allow was refused: {error_messages(response, ['form'])}"
    if page.target is None:
        [target] = Target.objects.exclude(pk__in=[row["id"] for row in before["commitments.Target"]])
    else:
        target = Target.objects.get(pk=page.target.pk)
        assert Target.objects.count() == len(before["commitments.Target"])
    assert {name: getattr(target, name) for name in TARGET_FIELDS} == expected
    assert (target.city, target.updated_by) == (city, user)
    assert_lands(client, response, reverse("reports:city_progress", args=[city.pk]))


@examples(60)
@given(data=st.data())
def test_the_new_target_form_saves_what_was_typed_or_refuses_it_whole(
    client_for, ambassador, lima, target_indicators, pages, data
):
    client = client_for(ambassador)
    url = reverse("commitments:target_create", args=[lima.pk])
    page = pages.get(url) or pages.setdefault(url, target_page(client, url, retired=target_indicators[1]))
    with rolled_back():
        sent = data.draw(target_posts(page), label="post")
        expected, before = target_should_be_saved(sent, city=lima, target=None), snapshot()
        response = post(client, url, sent)
        check_target_answer(
            client, response, page=page, sent=sent, expected=expected, before=before, city=lima, user=ambassador
        )


@pytest.fixture
def lima_targets(ambassador, lima, commitment):
    """Two targets of Lima's on the same indicator, so an edit can run into the other one."""
    indicator = commitment.indicators.get(code="3.1-a")
    return [
        services.target_save(
            by=ambassador,
            city=lima,
            indicator=indicator,
            horizon=horizon,
            baseline=Decimal("100"),
            baseline_year=2025,
            target_value=Decimal("500"),
            due_on=datetime.date(2028, 12, 31),
        )
        for horizon in (Horizon.SHORT, Horizon.MEDIUM)
    ]


@examples(60)
@given(data=st.data())
def test_the_target_edit_form_saves_what_was_typed_or_leaves_the_target_as_it_was(
    client_for, coordinator, lima, target_indicators, lima_targets, pages, data
):
    client = client_for(coordinator)  # Carla coordinates Peru: she adjusts Lima's targets
    target = lima_targets[0]
    url = reverse("commitments:target_edit", args=[target.pk])
    page = pages.get(url) or pages.setdefault(
        url, target_page(client, url, retired=target_indicators[1], target=target)
    )
    with rolled_back():
        sent = data.draw(target_posts(page), label="post")
        expected, before = target_should_be_saved(sent, city=lima, target=target), snapshot()
        response = post(client, url, sent)
        check_target_answer(
            client, response, page=page, sent=sent, expected=expected, before=before, city=lima, user=coordinator
        )


# The review form ---------------------------------------------------------------------------


@examples(60)
@given(data=st.data())
def test_the_review_form_decides_as_typed_or_leaves_the_action_waiting(
    client_for, ambassador, coordinator, django_capture_on_commit_callbacks, data
):
    client = client_for(coordinator)
    with rolled_back():
        # Any title, even one saved before titles were checked for line breaks and control
        # characters (written straight to the table): it reaches the decision email's subject.
        title = data.draw(
            st.one_of(TYPED_TITLE.map(str.strip), st.sampled_from(["Línea 1\nlínea 2", "a\r\nb", "x\u2028y\x85z"])),
            label="title",
        )
        action = services.action_submit(action=ActionFactory(by=ambassador, title="Acción"), by=ambassador)
        Action.objects.filter(pk=action.pk).update(title=title)
        url = reverse("commitments:action_review", args=[action.pk])
        spoilt = data.draw(st.sampled_from(["", "", "decision", "comment", "decision comment"]), label="spoilt")
        decisions = st.sampled_from([ReviewForm.APPROVE, ReviewForm.RETURN])
        comments = st.one_of(st.just(""), typed_text(2000), TYPED_LONG_TEXT)
        if "decision" in spoilt:
            decisions = st.one_of(
                st.sampled_from(["", "APPROVE", "aprobar", "approve ", "delete"]), ANY_TEXT_OR_MISSING
            )
        if "comment" in spoilt:
            comments = ANY_TEXT_OR_MISSING
        sent = {"decision": data.draw(decisions, label="decision"), "comment": data.draw(comments, label="comment")}
        before, outbox = snapshot(), len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            response = post(client, url, sent)

        # The whole rule, read off the post.
        fields = ReviewForm.base_fields
        decision = sent["decision"] if sent["decision"] in (ReviewForm.APPROVE, ReviewForm.RETURN) else None
        comment = cleaned(fields["comment"], sent, "comment") if is_valid(fields["comment"], sent, "comment") else None
        decided = decision is not None and comment is not None and (decision == ReviewForm.APPROVE or comment.strip())
        note(f"posted: {sent!r}"[:2000])
        if not decided:
            assert_refused(response, before, ["review_form"])
            assert len(mail.outbox) == outbox
            return
        assert_lands(client, response, reverse("commitments:review_queue"))
        action.refresh_from_db()
        assert action.status == (Action.Status.APPROVED if decision == ReviewForm.APPROVE else Action.Status.RETURNED)
        change = action.status_changes.latest("pk")
        assert (change.from_status, change.to_status, change.by) == (
            Action.Status.SUBMITTED,
            action.status,
            coordinator,
        )
        assert change.comment == comment.strip()
        assert change.review_time is not None and action.decided_at is not None
        assert change.notification.recipient == ambassador
        [email] = mail.outbox[outbox:]  # (a failing email task is only logged: robust on_commit)
        assert email.to == [ambassador.email]
        assert " ".join(title.split()) in email.subject
        if change.comment:
            assert change.comment in email.body
