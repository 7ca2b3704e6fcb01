from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from ambassadors import twofactor_views
from commitments import views as commitments_views
from health.views import healthz, metrics

admin.site.site_header = _("OMCS · Administración")
admin.site.site_title = _("OMCS")
admin.site.index_title = _("Catálogo, ciudades y personas")
# The admin logs in through the site's login (its lockout and second factor) and opens only for a
# session that passed the second factor.
admin.site.login = twofactor_views.admin_login
admin.site.has_permission = twofactor_views.admin_has_permission

urlpatterns = [
    path("", commitments_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    # At the site's root: a service worker controls only the paths below its own.
    path("", include("offline.urls")),
    path("", include("commitments.urls")),
    path("", include("ambassadors.urls")),
    path("", include("reports.urls")),
    path("", include("practices.urls")),
    path("", include("practices.exchange_urls")),
    path("financiamiento/", include("funding.urls")),
    path("riesgos/", include("hazards.urls")),
    path("", include("invitations.urls")),
    path("", include("appointments.urls")),
    path("periodos/", include("terms.urls")),
    path("publico/", include("public.urls")),
    path("api/", include("api.urls")),
    path("importar/", include("imports.urls")),
    path("accounts/", include("ambassadors.account_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
