from django.urls import path

from . import exchange_views

app_name = "exchanges"

urlpatterns = [
    path("intercambios/", exchange_views.exchange_list, name="list"),
    path("intercambios/nuevo/", exchange_views.exchange_create, name="create"),
    path("intercambios/<int:pk>/", exchange_views.exchange_detail, name="exchange"),
    path("intercambios/<int:pk>/editar/", exchange_views.exchange_edit, name="edit"),
]
