from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import token_views, views

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False  # one pattern per route: /actions/1.json is not an address
router.register("axes", views.AxisViewSet, basename="axis")
router.register("commitments", views.CommitmentViewSet, basename="commitment")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("cities", views.CityViewSet, basename="city")
router.register("actions", views.ActionViewSet, basename="action")
router.register("targets", views.TargetViewSet, basename="target")
router.register("reports", views.ReportViewSet, basename="report")
router.register("practices", views.PracticeViewSet, basename="practice")
router.register("plans", views.PlanViewSet, basename="plan")
router.register("opportunities", views.OpportunityViewSet, basename="opportunity")


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI from our static files; its start-up script is a file of its own (?script=),
    so the page keeps the site's CSP (no inline script or style)."""

    template_name = "api/swagger_ui.html"


urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("tokens/", token_views.tokens, name="tokens"),
    path("tokens/<int:pk>/revocar/", token_views.token_revoke, name="token_revoke"),
]
