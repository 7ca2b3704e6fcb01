from django.urls import path

from . import views

app_name = "ambassadors"

urlpatterns = [
    path("inicio/", views.landing, name="landing"),
    path("ciudades/", views.city_list, name="cities"),
    path("ciudades/<int:pk>/", views.city_detail, name="city"),
]
