from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST

from .checks import service_state
from .metrics import exposition, scrape_allowed


@never_cache
@require_safe
def healthz(request):
    """For monitoring and load balancers: 200 when the web can serve, 503 when its database is
    unreachable. No personal data, so no login."""
    ok, state = service_state()
    return JsonResponse(state, status=200 if ok else 503)


@never_cache
def metrics(request):
    """Prometheus's scrape: for an allowed address reached without the proxy, or the bearer token
    (health/metrics.py). Anyone else gets 403 and nothing of the metrics."""
    if not scrape_allowed(request):
        return HttpResponseForbidden("Forbidden\n", content_type="text/plain; charset=utf-8")
    return _metrics(request)


@require_safe
def _metrics(request):
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
