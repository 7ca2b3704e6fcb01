import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from ambassadors.access import address_rate_claim, client_address
from ambassadors.models import AccessCounter

from . import services
from .forms import AcceptanceForm, VerifyForm
from .letters import letter_pdf

VERIFICATIONS_PER_ADDRESS = 30
VERIFICATION_WINDOW = datetime.timedelta(minutes=15)


def _safe_next(request, url):
    safe = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    if url and safe:
        return url
    return reverse("ambassadors:landing")


@login_required
def accept(request):
    """The commitments word for word in the person's language, and "Acepto"."""
    appointment = services.current_appointment(request.user)
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if appointment is None:
        return redirect(_safe_next(request, next_url))
    if services.has_accepted(request.user):
        # Nothing to accept: the current wording was accepted already, in this language or another
        # (accepting it again in another would only replace the letter). The page shows what was
        # accepted, when, and the letter to download.
        if request.method == "POST":
            return redirect(_safe_next(request, next_url))
        accepted = appointment.acceptances.order_by("-accepted_at", "-pk").first()
        return render(
            request,
            "appointments/accept.html",
            {"appointment": appointment, "wording": accepted.wording, "form": None, "accepted": accepted},
        )
    language = services.wording_language(get_language())
    wording, version = services.wording_for_acceptance(language=language)
    accepted = appointment.acceptances.filter(language=language, version=version).first()
    form = AcceptanceForm(request.POST or None, initial={"version": version, "next": next_url})
    if request.method == "POST" and accepted is None and form.is_valid():
        if form.cleaned_data["version"] != version:
            messages.warning(request, _("El texto de los compromisos cambió mientras lo leía: léalo de nuevo."))
            return redirect(f"{reverse('appointments:accept')}?{request.GET.urlencode()}")
        services.acceptance_record(
            appointment=appointment, by=request.user, language=language, wording=wording, version=version
        )
        messages.success(request, _("Gracias: sus compromisos quedan aceptados y su carta de nombramiento está lista."))
        return redirect(_safe_next(request, form.cleaned_data["next"]))
    if request.method == "POST" and accepted is not None:
        return redirect(_safe_next(request, next_url))
    return render(
        request,
        "appointments/accept.html",
        {"appointment": appointment, "wording": wording, "form": form, "accepted": accepted},
    )


def _pdf_response(request, letter):
    url = request.build_absolute_uri(reverse("appointments:verify", args=[letter.code]))
    response = HttpResponse(letter_pdf(letter, verify_url=url), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="carta-nombramiento-{letter.code}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def letter(request):
    """The letter in force of the person's own appointment."""
    found = services.letter_in_force(user=request.user)
    if found is None:
        raise Http404
    return _pdf_response(request, found)


@login_required
@require_safe
def letter_of(request, appointment_pk):
    """The letter in force of an appointment: its ambassador's own, or one of a city an admin or
    a coordinator answers for."""
    found = services.letter_in_force(user=request.user, appointment_of=appointment_pk)
    if found is None:
        raise Http404
    return _pdf_response(request, found)


def _public(response):
    """The verification pages: never cached (a letter may be revoked at any moment), never indexed."""
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
@never_cache
def verify_form(request):
    """Public: type a letter's code."""
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        typed = form.cleaned_data["code"]
        code = services.normalise_code(typed) or "".join(c for c in typed.upper() if c.isalnum())[:40] or "-"
        return _public(redirect("appointments:verify", code=code))
    return _public(render(request, "appointments/verify.html", {"form": form}))


@require_safe
@never_cache
def verify(request, code):
    """Public: a letter's state, valid, expired, revoked or unknown, and nothing else."""
    retry_at = address_rate_claim(
        limit=AccessCounter.Limit.LETTER_CHECK,
        ip_address=client_address(request),
        most=VERIFICATIONS_PER_ADDRESS,
        window=VERIFICATION_WINDOW,
    )
    if retry_at is not None:
        response = render(request, "appointments/verify.html", {"form": VerifyForm(), "limited": True}, status=429)
        response["Retry-After"] = str(max(1, int((retry_at - timezone.now()).total_seconds())))
        return _public(response)
    state = services.letter_state(code)
    return _public(render(request, "appointments/verify.html", {"form": VerifyForm(), "state": state}))
