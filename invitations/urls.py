from django.urls import path

from . import views

app_name = "invitations"

urlpatterns = [
    path("invitaciones/", views.invitation_list, name="list"),
    path("invitaciones/nueva/", views.invitation_create, name="create"),
    path("invitaciones/<int:pk>/reenviar/", views.invitation_resend, name="resend"),
    path("invitaciones/<int:pk>/revocar/", views.invitation_revoke, name="revoke"),
    path("invitacion/<str:token>/", views.accept, name="accept"),
]
