from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("", views.network, name="network"),
    path("solicitar/", views.request_page, name="request"),
    path("solicitudes/", views.requests, name="requests"),
    path("solicitudes/<int:pk>/decidir/", views.decide, name="decide"),
    path("<slug:slug>/", views.city, name="city"),
]
