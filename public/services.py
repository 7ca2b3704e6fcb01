"""Writes on public pages: the ambassador asks, a coordinator of the city's country (or an admin)
approves or declines, an admin switches a page on and off in Django admin.

Each checks who may do it; a decision claims the request with a conditional UPDATE, so two
coordinators cannot both decide it; every change keeps its audit entry (who, when, what), and the
page's cached content is bumped once the write commits (public.cache, through public.signals for
the saves and deletions).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassadors.models import Ambassador, City
from ambassadors.scope import active_coordinators
from commitments.services import active_appointment, keeps_city
from core.history import history_record_update, history_stamp
from core.mail import mail_queue
from core.validators import validate_text

from . import cache
from .models import PublicPage, slug_for


def can_request(user, city):
    """The ambassador in office in the city, while its page is neither public nor waiting."""
    page = getattr(city, "public_page", None)
    waiting_or_public = page is not None and page.status in (PublicPage.Status.PENDING, PublicPage.Status.PUBLISHED)
    return keeps_city(user, city.pk) and not waiting_or_public


def requestable_city(user):
    """The city whose page `user` could ask for (their appointment's), or None."""
    appointment = active_appointment(user)
    return appointment.city if appointment is not None else None


def can_decide(user, page):
    return PublicPage.objects.reviewable_by(user).filter(pk=page.pk).exists()


def _unique_slug(city):
    base = slug_for(city)
    slug, n = base, 1
    while PublicPage.objects.filter(slug=slug).exclude(city=city).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def page_request(*, city, by):
    """The city's ambassador in office asks for its page to be public; the coordinators of its
    country (or an admin) decide."""
    # The city's row, locked: with no page yet there is no row of it to lock, and two requests at
    # once (a double click) would both insert one, the second failing on the unique city.
    City.objects.select_for_update().filter(pk=city.pk).first()
    page = PublicPage.objects.select_for_update().filter(city=city).first()
    if page is not None:
        city.public_page = page
    if not can_request(by, city):
        raise PermissionDenied(_("Solo el embajador en funciones puede solicitar la página pública de su ciudad."))
    now = timezone.now()
    if page is None:
        page = PublicPage(city=city, slug=_unique_slug(city))
    page.status = PublicPage.Status.PENDING
    page.requested_by, page.requested_at = by, now
    page.decided_by, page.decided_at, page.comment = None, None, ""
    history_stamp(page, by=by, at=now).save()  # the page's cached content is bumped (public.signals)
    _queue_request_emails(page)
    return page


def _queue_request_emails(page):
    """Tell the coordinators of the city's country that a request waits for them (the admins when
    the country has none): without it a request waits until someone happens on the list."""
    country = page.city.country_id
    deciders = [row.user for row in active_coordinators() if country in row.country_codes]
    if not deciders:
        deciders = list(get_user_model().objects.filter(is_active=True, is_superuser=True))
    for recipient in deciders:
        mail_queue(
            key=f"public-page-request:{page.pk}:{page.requested_at.isoformat()}:{recipient.pk}",
            recipient=recipient,
            template="public/email/request",
            context={
                "recipient": recipient,
                "page": page,
                "city": page.city,
                "url": settings.SITE_URL + reverse("public:requests"),
            },
        )


def _decide(page, *, by, to_status, comment=""):
    if not can_decide(by, page):
        raise PermissionDenied(_("Usted no puede decidir sobre la página pública de esta ciudad."))
    now = timezone.now()
    moved = PublicPage.objects.filter(pk=page.pk, status=PublicPage.Status.PENDING).update(
        status=to_status, decided_by=by, decided_at=now, comment=comment, updated_at=now
    )
    if not moved:
        raise ValidationError(_("La solicitud ya fue decidida. Recargue la página."))
    history_record_update(page, by=by, at=now)
    cache.bump_city(page.city_id)  # an UPDATE sends no signal for public.signals to hear
    _queue_decision_email(page)
    return page


@transaction.atomic
def page_approve(*, page, by):
    """Publish the city's page: from now on anyone reads it at /publico/<slug>/."""
    return _decide(page, by=by, to_status=PublicPage.Status.PUBLISHED)


@transaction.atomic
def page_decline(*, page, by, comment):
    """Decline the request; the comment tells the ambassador why and is required."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": [_("Explique por qué se rechaza: el comentario es obligatorio.")]})
    validate_text(comment)  # the model's validator: the decision's UPDATE runs none
    return _decide(page, by=by, to_status=PublicPage.Status.DECLINED, comment=comment)


def _queue_decision_email(page):
    """Tell the ambassador in office in the city (whoever asked, or their successor)."""
    appointment = page.city.ambassadors.filter(status=Ambassador.Status.ACTIVE).select_related("user").first()
    if appointment is None:
        return
    recipient = appointment.user
    mail_queue(
        key=f"public-page-decision:{page.pk}:{page.decided_at.isoformat()}",
        recipient=recipient,
        template="public/email/decision",
        context={
            "recipient": recipient,
            "page": page,
            "city": page.city,
            "url": settings.SITE_URL + reverse("public:request"),
            "public_url": settings.SITE_URL + reverse("public:city", args=[page.slug]),
        },
    )


@transaction.atomic
def page_admin_save(*, city, slug, published, by, page=None):
    """An admin switches a city's page on or off and sets its address; switching it on publishes
    it at once, as an approval by the admin."""
    if not (by.is_active and by.is_superuser):
        raise PermissionDenied(_("Solo un administrador puede cambiar una página pública aquí."))
    page = page or PublicPage.objects.filter(city=city).first() or PublicPage(city=city)
    now = timezone.now()
    page.slug = slug or page.slug or _unique_slug(city)
    was_published = page.is_published
    if published and not was_published:
        page.status, page.decided_by, page.decided_at, page.comment = PublicPage.Status.PUBLISHED, by, now, ""
    elif not published and was_published:
        page.status = PublicPage.Status.UNPUBLISHED
    history_stamp(page, by=by, at=now).save()
    return page


@transaction.atomic
def page_delete(*, page, by):
    """An admin removes a city's page and its request (its audit trail stays)."""
    if not (by.is_active and by.is_superuser):
        raise PermissionDenied(_("Solo un administrador puede cambiar una página pública aquí."))
    history_stamp(page, by=by).delete()
