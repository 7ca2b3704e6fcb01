from django.urls import path

from . import views

app_name = "practices"

urlpatterns = [
    path("practicas/<int:pk>/", views.practice_detail, name="practice"),
]
