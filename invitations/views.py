"""The invitations' pages: the list, the form, send again and revoke (admins and coordinators, in
their scope), and the page the invitation's link opens (anyone holding a working link)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import links, services
from .forms import AcceptForm, InvitationForm
from .models import Invitation

PER_PAGE = 50
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _inviter_only(request):
    if not services.may_invite(request.user):
        raise PermissionDenied


@login_required
@require_safe
def invitation_list(request):
    _inviter_only(request)
    invitations = Invitation.objects.visible_to(request.user).for_listing()
    page = Paginator(invitations, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "invitations/list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request):
    _inviter_only(request)
    form = InvitationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        invitation = form.save_through(services.invitation_create, by=request.user)
        if invitation is not None:
            messages.success(request, _("Invitación enviada a %(email)s.") % {"email": invitation.email})
            return redirect("invitations:list")
    return render(request, "invitations/form.html", {"form": form, "valid_days": settings.INVITATION_VALID_DAYS})


def _open_one(request, pk):
    _inviter_only(request)
    return get_object_or_404(Invitation.objects.visible_to(request.user), pk=pk)


@login_required
@require_POST
def invitation_resend(request, pk):
    invitation = _open_one(request, pk)
    try:
        services.invitation_resend(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Invitación enviada otra vez a %(email)s; el enlace anterior ya no funciona.")
            % {"email": invitation.email},
        )
    return redirect("invitations:list")


@login_required
@require_POST
def invitation_revoke(request, pk):
    invitation = _open_one(request, pk)
    try:
        services.invitation_revoke(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Invitación a %(email)s revocada.") % {"email": invitation.email})
    return redirect("invitations:list")


def _problem_page(request, problem, invitation=None):
    status = {links.Problem.INVALID: 404, "throttled": 429}.get(problem, 410)
    return render(
        request, "invitations/link_problem.html", {"problem": problem, "invitation": invitation}, status=status
    )


@never_cache
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def accept(request, token):
    """The invitation's link. A person without an account sets their name and password; one whose
    address already has an account logs in as it and confirms. Either way the appointment is made
    and the person lands on their role's home."""
    # The signature first (no query when it is bad): only bad links count and are refused.
    invitation, problem = links.invitation_from_token(token)
    if problem == links.Problem.INVALID:
        if links.address_refused(request):
            return _problem_page(request, "throttled")
        links.bad_link_count(request)
    if problem:
        return _problem_page(request, problem, invitation)
    account = services.existing_user(invitation)
    if request.user.is_authenticated and request.user != account:
        mode = "other_account"
    elif account is not None and not request.user.is_authenticated:
        mode = "log_in"
    else:
        mode = "confirm" if account is not None else "new"
    form = AcceptForm(request.POST or None, invitation=invitation) if mode == "new" else None
    if request.method == "POST" and mode in ("new", "confirm") and (form is None or form.is_valid()):
        try:
            _accept(request, invitation, account, form)
        except services.InvitationUnusable as unusable:
            return _problem_page(request, unusable.problem, invitation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            return redirect("ambassadors:landing")
    context = {"invitation": invitation, "mode": mode, "form": form, "account": account}
    return render(request, "invitations/accept.html", context)


def _accept(request, invitation, account, form):
    details = {}
    if form is not None:
        details = {
            "first_name": form.cleaned_data["first_name"],
            "last_name": form.cleaned_data["last_name"],
            "password": form.cleaned_data["password1"],
        }
    person = services.invitation_accept(invitation=invitation, nonce=invitation.nonce, user=account, **details)
    if account is None:
        login(request, person, backend=BACKEND)
        if person.get_username() != invitation.email.lower():  # that name was taken: a suffix
            messages.warning(
                request,
                _("Otra cuenta ya usaba su correo como usuario: el suyo es %(username)s. Úselo para entrar.")
                % {"username": person.get_username()},
            )
    messages.success(request, _("Bienvenida o bienvenido: su nombramiento ya está en vigor."))
