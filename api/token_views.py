"""The page where a person creates, sees and revokes their personal API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import services
from .forms import TokenForm
from .models import ApiToken


@never_cache
@login_required
def tokens(request):
    """The person's tokens; POST creates one, whose secret this response shows once (no-store)."""
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        _token, secret = services.token_create(
            user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
        form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {"form": form, "secret": secret, "tokens": ApiToken.objects.of(request.user)},
    )


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.of(request.user), pk=pk)
    services.token_revoke(token=token, by=request.user)
    messages.success(request, _("Token revocado: «%(name)s».") % {"name": token.name})
    return redirect("api:tokens")
