"""Acceptance of the commitments, the appointment letter and its public verification."""

import secrets

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from ambassadors.models import Ambassador
from ambassadors.scope import review_scope_filter, roles_of

from .models import Acceptance, AppointmentLetter, Wording
from .wording import wording_language, wording_of, wording_store, wording_version

# Letters and digits that cannot be mistaken for one another when typed from paper (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # 31**12: about 2**59 codes

VALID, EXPIRED, REVOKED, SUPERSEDED, UNKNOWN = "valid", "expired", "revoked", "superseded", "unknown"


def accepted_current_wording():
    """An expression over a user's row: their current appointment has an acceptance of the
    current version in the language it was accepted in. The gate asks roles_of for it, so it
    costs no query of its own."""
    return Exists(
        Acceptance.objects.filter(
            appointment__user=OuterRef("pk"),
            appointment__status__in=[Ambassador.Status.ACTIVE, Ambassador.Status.PAUSED],
            version=Subquery(Wording.objects.filter(language=OuterRef("language")).values("version")[:1]),
        )
    )


def has_accepted(user) -> bool:
    """False only for a current ambassador who has not accepted the current wording of the
    commitments; True for everyone else (nothing to accept). At most one query per request,
    shared with roles_of."""
    roles = roles_of(user, commitments_accepted=accepted_current_wording())
    return not roles.is_ambassador or bool(roles.facts.get("commitments_accepted"))


def current_appointment(user):
    """The user's appointment in force (active or paused), or None."""
    return Ambassador.objects.current().filter(user=user).select_related("city", "user").first()


def wording_for_acceptance(*, language):
    """(wording, version) of the current commitments in `language`, as the acceptance page
    shows them; the stored version is brought up to date with it, so the gate and the page
    always agree."""
    language = wording_language(language)
    wording = wording_of(language)
    version = wording_version(wording)
    if not Wording.objects.filter(language=language, version=version).exists():
        wording_store(language=language, version=version)
    return wording, version


def new_letter_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed):
    """A code as typed (any case, with spaces or dashes) in its stored form; "" if it cannot be one."""
    code = "".join(c for c in str(typed).upper() if c.isalnum())
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return ""
    return code


@transaction.atomic
def letter_issue(*, appointment, acceptance=None, by=None, now=None) -> AppointmentLetter:
    """Issue a new letter of `appointment` (naming `acceptance`, by default its latest one); the
    letter in force before it, if any, goes out of force as superseded (not revoked)."""
    now = now or timezone.now()
    acceptance = acceptance or appointment.acceptances.order_by("-accepted_at", "-pk").first()
    if acceptance is None:
        raise ValueError("An appointment's letter names an acceptance of its commitments: there is none.")
    Ambassador.objects.select_for_update().filter(pk=appointment.pk).first()  # one issue at a time
    AppointmentLetter.objects.filter(appointment=appointment, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=by, superseded=True
    )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return AppointmentLetter.objects.create(
                    appointment=appointment,
                    acceptance=acceptance,
                    code=new_letter_code(),
                    language=acceptance.language,
                    issued_at=now,
                    issued_by=by,
                )
        except IntegrityError:  # a code already taken: 1 in 2**59, draw again
            continue
    raise RuntimeError("No free letter code after five draws")


def letter_revoke(*, letter, by, now=None) -> bool:
    """Revoke a letter in force; whether this call revoked it (a conditional UPDATE)."""
    return bool(
        AppointmentLetter.objects.filter(pk=letter.pk, revoked_at__isnull=True).update(
            revoked_at=now or timezone.now(), revoked_by=by
        )
    )


@transaction.atomic
def acceptance_record(
    *, appointment, by, language, wording=None, version=None, source=Acceptance.Source.SITE, now=None
) -> Acceptance:
    """Record that `by` accepted the commitments of `appointment` in `language` (the wording shown,
    else the current one), and issue its letter. Accepting the same wording again changes nothing."""
    now = now or timezone.now()
    language = wording_language(language)
    if wording is None:
        wording, version = wording_for_acceptance(language=language)
    version = version or wording_version(wording)
    acceptance, created = Acceptance.objects.get_or_create(
        appointment=appointment,
        language=language,
        version=version,
        defaults={"accepted_by": by, "wording": wording, "accepted_at": now, "source": source},
    )
    if created:
        letter_issue(appointment=appointment, acceptance=acceptance, now=now)
    by.__dict__.pop("_omcs_roles", None)  # the gate asks again
    return acceptance


def letter_state(code, *, today=None) -> str:
    """What the public verification says of a code: VALID, EXPIRED (the appointment ended or its
    term is over), REVOKED (by the OMCS), SUPERSEDED (a newer letter of the appointment replaced
    it) or UNKNOWN. One query whatever the answer."""
    today = today or timezone.localdate()
    letter = (
        AppointmentLetter.objects.filter(code=normalise_code(code) or "-")
        .values("revoked_at", "superseded", "appointment__status", "appointment__term_ends_on")
        .first()
    )
    if letter is None:
        return UNKNOWN
    if letter["revoked_at"] is not None and not letter["superseded"]:
        return REVOKED
    term_ends_on = letter["appointment__term_ends_on"]
    if letter["appointment__status"] == Ambassador.Status.ENDED or (term_ends_on and term_ends_on < today):
        return EXPIRED
    return SUPERSEDED if letter["revoked_at"] is not None else VALID


def letters_for(user):
    """The letters `user` may download: their own appointments', and those of the cities an admin
    or a coordinator answers for."""
    if not user.is_authenticated or not user.is_active:
        return AppointmentLetter.objects.none()
    letters = AppointmentLetter.objects.select_related("appointment__user", "appointment__city__country", "acceptance")
    if user.is_superuser:  # (Q(…) | Q() is Q(…), not everything)
        return letters
    return letters.filter(Q(appointment__user=user) | review_scope_filter(user, prefix="appointment__city__"))


def letter_in_force(*, appointment_of=None, user=None):
    """The letter in force of the user's current appointment, or of the appointment with pk
    `appointment_of` among those `user` may read; None if there is none."""
    letters = letters_for(user).filter(revoked_at__isnull=True)
    if appointment_of is None:
        letters = letters.filter(appointment__user=user).exclude(appointment__status=Ambassador.Status.ENDED)
    else:
        letters = letters.filter(appointment_id=appointment_of)
    return letters.first()
