"""The public pages (anyone, no login): the network's and each published city's; and the request
and its review (the city's ambassador; the coordinators of its country and admins).

The public pages extend the site's base layout, so a logged-in reader keeps their own menu; what
is cached (public.cache) is the page's content alone, rendered without the request, so nothing of
one reader (their menu, their name, a CSRF token) is ever stored or shown to another.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.defaults import page_not_found

from ambassadors.scope import roles_of

from . import cache, content, services
from .forms import DecisionForm
from .models import PublicPage

# How long an anonymous reader's browser may keep a page: short, since a decision should show within
# minutes. The content itself is cached server-side until it changes. Never a shared cache's: the
# page carries the language form's CSRF token and its cookie, which a proxy would hand to everyone.
MAX_AGE = 300
# Past this page of actions the address is refused: each page is cached on its own.
MAX_PAGE = 1000


def _cache_headers(request, response):
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, max_age=0)
    else:
        patch_cache_control(response, private=True, max_age=MAX_AGE)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def _public(view):
    """A public page: its answer, a "not found" too, says how long a browser may keep it, so an
    unpublished city's address is not asked again on every click, nor kept longer than a page."""

    @wraps(view)
    def answer(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404 as exception:
            response = page_not_found(request, exception)
        return _cache_headers(request, response)

    return answer


def _page_number(request):
    """The page of actions asked for: 1 unless ASCII digits (str.isdigit() also takes "²", which
    int() refuses); past MAX_PAGE, or thousands of digits (which int() refuses too), not found."""
    raw = request.GET.get("page", "1")
    if not (raw.isascii() and raw.isdigit()):
        return 1
    digits = raw.lstrip("0")
    if len(digits) > len(str(MAX_PAGE)) or int(digits or 0) > MAX_PAGE:
        raise Http404
    return max(int(digits or 0), 1)


def _absolute(request):
    return settings.SITE_URL + request.path


@require_safe
@_public
def network(request):
    today = timezone.localdate()
    body = cache.cached(
        cache.content_key(cache.NETWORK),
        lambda: render_to_string("public/network_body.html", content.network_content(today=today)),
    )
    return render(request, "public/network.html", {"body": body, "canonical": _absolute(request)})


def _city_body(page, *, today, number):
    """The city's content at page `number` of its actions; "" past its last page (cached as it is,
    so each number shows the last page again neither as a copy of its own nor by a render each)."""
    context = content.city_content(page=page, today=today, page_number=number)
    if context["listing"].number != number:
        return ""
    return render_to_string("public/city_body.html", context)


@require_safe
@_public
def city(request, slug):
    page = content.published_page(slug)
    if page is None:
        raise Http404
    number = _page_number(request)
    today = timezone.localdate()
    body = cache.cached(
        cache.content_key(f"city:{page.city_id}", number), lambda: _city_body(page, today=today, number=number)
    )
    if not body:
        raise Http404
    canonical = _absolute(request) + (f"?page={number}" if number > 1 else "")
    return render(request, "public/city.html", {"page": page, "body": body, "canonical": canonical})


@login_required
def request_page(request):
    """The ambassador in office asks for their city's public page, and sees where it stands."""
    city = services.requestable_city(request.user)
    if city is None:
        raise PermissionDenied
    page = PublicPage.objects.filter(city=city).select_related("city").first()
    if request.method == "POST":
        try:
            services.page_request(city=city, by=request.user)
        except PermissionDenied:  # the ambassador in office, so: public already, or waiting
            messages.info(request, _("La página de su ciudad ya es pública o espera una decisión."))
        else:
            messages.success(
                request, _("Solicitud enviada: la coordinación de su país la revisará y usted recibirá un aviso.")
            )
        return redirect("public:request")
    return render(request, "public/request.html", {"city": city, "public_page": page})


@login_required
@require_safe
def requests(request):
    """The requests of the user's scope waiting for a decision, and the latest decided."""
    roles = roles_of(request.user)
    if not (roles.is_admin or roles.is_coordinator):
        raise PermissionDenied
    scope = PublicPage.objects.reviewable_by(request.user).select_related("city__country")
    return render(
        request,
        "public/requests.html",
        {
            "pending": list(scope.pending().order_by("requested_at", "pk")),
            "decided": list(scope.exclude(status=PublicPage.Status.PENDING).order_by("-updated_at", "-pk")[:20]),
            "form": DecisionForm(),
        },
    )


@login_required
@require_POST
def decide(request, pk):
    page = get_object_or_404(PublicPage.objects.reviewable_by(request.user).select_related("city"), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Elija aprobar o rechazar."))
        return redirect("public:requests")
    try:
        if form.cleaned_data["decision"] == DecisionForm.APPROVE:
            services.page_approve(page=page, by=request.user)
            messages.success(request, _("Página de %(city)s publicada.") % {"city": page.city.name})
        else:
            services.page_decline(page=page, by=request.user, comment=form.cleaned_data["comment"])
            messages.success(request, _("Solicitud de %(city)s rechazada.") % {"city": page.city.name})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("public:requests")
