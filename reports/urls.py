from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("mi-ciudad/", views.my_city, name="my_city"),
    path("ciudades/<int:pk>/progreso/", views.city_progress, name="city_progress"),
    path("panel/", views.overview, name="overview"),
    path("panel/ciudades/", views.cities, name="cities"),
    path("panel/revision/", views.review_times, name="review_times"),
    path("informes/", views.report_list, name="reports"),
    path("informes/ambito/", views.scope_report_request, name="scope_report_request"),
    path("informes/<int:pk>/", views.report_detail, name="report"),
    path("informes/<int:pk>/estado/", views.report_status, name="report_status"),
    path("informes/<int:pk>/reintentar/", views.report_retry, name="report_retry"),
    path("informes/<int:pk>/<str:output>/", views.report_download, name="report_download"),
    path("preferencias/correo/", views.email_preferences, name="email_preferences"),
]
