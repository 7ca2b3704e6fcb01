from django.urls import path

from . import views

app_name = "practices"

urlpatterns = [
    # The library and a practice's page (reading).
    path("practicas/", views.practice_list, name="list"),
    path("practicas/seguir/", views.follow_commitments, name="follow"),
    path("practicas/<int:pk>/", views.practice_detail, name="practice"),
    path("practicas/<int:pk>/destacar/", views.practice_feature, name="feature"),
    path("practicas/<int:pk>/evidencias/<int:evidence_pk>/", views.practice_evidence, name="evidence"),
]
