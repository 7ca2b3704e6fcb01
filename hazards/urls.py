"""/riesgos/: the hazard log of the user's scope, an event's page and its form."""

from django.urls import path

from . import views

app_name = "hazards"

urlpatterns = [
    path("", views.event_list, name="events"),
    path("eventos/nuevo/", views.event_create, name="event_create"),
    path("eventos/<int:pk>/", views.event_detail, name="event"),
    path("eventos/<int:pk>/editar/", views.event_edit, name="event_edit"),
]
