from django.urls import path

from . import views

app_name = "terms"

urlpatterns = [
    path("", views.term_list, name="terms"),
    path("<int:pk>/", views.term_detail, name="term"),
    path("<int:pk>/renovar/", views.term_renew, name="renew"),
    path("<int:pk>/sucesor/", views.term_successor, name="successor"),
    path("pendientes/", views.left_behind_list, name="left_behind"),
    path("pendientes/<int:pk>/continuar/", views.left_behind_take_over, name="take_over"),
    path("pendientes/<int:pk>/descartar/", views.left_behind_discard, name="discard"),
]
