from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("panel/", views.overview, name="overview"),
    path("panel/ciudades/", views.cities, name="cities"),
]
