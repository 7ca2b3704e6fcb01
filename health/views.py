from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .checks import service_state


@never_cache
@require_safe
def healthz(request):
    """For monitoring and load balancers: 200 when the web can serve, 503 when its database is
    unreachable. No personal data, so no login."""
    ok, state = service_state()
    return JsonResponse(state, status=200 if ok else 503)
