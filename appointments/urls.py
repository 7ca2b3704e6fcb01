from django.urls import path

from . import views

app_name = "appointments"

urlpatterns = [
    path("nombramiento/compromisos/", views.accept, name="accept"),
    path("nombramiento/carta.pdf", views.letter, name="letter"),
    path("nombramiento/<int:appointment_pk>/carta.pdf", views.letter_of, name="letter_of"),
    # Public: anyone checks a letter's code.
    path("verificar/", views.verify_form, name="verify_form"),
    path("verificar/<str:code>/", views.verify, name="verify"),
]
