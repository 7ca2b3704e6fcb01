from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassadors.scope import roles_of
from commitments.evidence import file_response
from commitments.models import Commitment, Evidence
from commitments.services import active_appointment

from . import selectors, services
from .filters import PracticeFilter
from .forms import FollowForm
from .models import Practice, is_network_member


@login_required
def practice_list(request):
    """The library: published practices, searched, filtered and sorted; above it what waits for
    the user (their city's practices in preparation, or those to review)."""
    user = request.user
    if not is_network_member(user):
        raise PermissionDenied
    practice_filter = PracticeFilter(request.GET, queryset=selectors.library(user=user))
    page = Paginator(practice_filter.qs, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "practices/practice_list.html",
        {
            "filter": practice_filter,
            "page": page,
            "query": query.urlencode(),
            "in_preparation": list(selectors.in_preparation(user=user)),
            "awaiting_review": list(selectors.awaiting_review(user=user)),
            "follow_choices": Commitment.objects.active().with_axis(),
            "followed": selectors.followed_commitment_ids(user=user),
            "can_publish": active_appointment(user) is not None,
        },
    )


@login_required
@require_POST
def follow_commitments(request):
    form = FollowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Elija compromisos de la lista."))
        return redirect("practices:list")
    commitments = list(form.cleaned_data["commitments"])
    services.follows_set(user=request.user, commitments=commitments)
    if commitments:
        messages.success(
            request, _("Guardado: las prácticas nuevas de los compromisos que sigue irán en su resumen semanal.")
        )
    else:
        messages.success(request, _("Guardado: ya no sigue ningún compromiso."))
    return redirect("practices:list")


def _practice_or_404(request, pk):
    try:
        return selectors.practice_for(user=request.user, pk=pk)
    except Practice.DoesNotExist:
        raise Http404 from None


def practice_page(request, practice, *, review_form=None, replicate_form=None, status=200):
    """The practice's page. The review and replicate views render it again with their bound
    form (`review_form`, `replicate_form`) to show its errors; `practice` is practice_for's."""
    user = request.user
    city_id = roles_of(user).ambassador_city_id
    can_review = practice.status == Practice.Status.SUBMITTED and services.can_review_practice(user, practice)
    published = practice.status == Practice.Status.PUBLISHED
    practice_map = selectors.map_of(practice)
    return render(
        request,
        "practices/practice_detail.html",
        {
            "practice": practice,
            "other_summaries": selectors.summaries_besides_shown(practice),
            "results": selectors.indicator_results(practice),
            "partners": [line.strip() for line in practice.partners.splitlines() if line.strip()],
            "history": selectors.status_history(practice) if practice.viewer_in_scope else None,
            "practice_map": practice_map,
            "can_edit": services.can_edit_practice(user, practice),
            "can_review": can_review,
            "can_feature": published and services.can_feature_practice(user, practice),
            "can_replicate": published and services.can_replicate(user, practice),
            "own_replication": next((r for r in practice.replications.all() if r.city_id == city_id), None),
            "review_form": review_form,
            "replicate_form": replicate_form,
        },
        status=status,
    )


@login_required
def practice_detail(request, pk):
    return practice_page(request, _practice_or_404(request, pk))


@login_required
@require_POST
def practice_feature(request, pk):
    practice = get_object_or_404(Practice.objects.visible_to(request.user), pk=pk)
    if not services.can_feature_practice(request.user, practice):
        raise PermissionDenied
    featured = request.POST.get("featured") == "1"
    services.practice_feature(practice=practice, by=request.user, featured=featured)
    if featured:
        messages.success(request, _("La práctica aparece destacada en la biblioteca."))
    else:
        messages.success(request, _("La práctica ya no aparece destacada."))
    return redirect("practices:practice", pk=pk)


@login_required
def practice_evidence(request, pk, evidence_pk):
    """A file the practice shares: only those its author chose, to whoever may read the practice,
    served as commitments' evidence_download serves them (never rendered by the browser)."""
    practice = get_object_or_404(Practice.objects.visible_to(request.user), pk=pk)
    try:
        evidence = services.evidence_shared_by(practice, pk=evidence_pk)
    except Evidence.DoesNotExist:
        raise Http404 from None
    if not evidence.is_file:
        raise Http404
    return file_response(evidence)
