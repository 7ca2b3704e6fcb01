from django.urls import path

from . import replication_views, views, workflow_views

app_name = "practices"

urlpatterns = [
    # The library and a practice's page (reading).
    path("practicas/", views.practice_list, name="list"),
    path("practicas/seguir/", views.follow_commitments, name="follow"),
    path("practicas/<int:pk>/", views.practice_detail, name="practice"),
    path("practicas/<int:pk>/destacar/", views.practice_feature, name="feature"),
    path("practicas/<int:pk>/evidencias/<int:evidence_pk>/", views.practice_evidence, name="evidence"),
    # Writing: a practice, its review, the cities that replicate it.
    path("practicas/nueva/", workflow_views.practice_create, name="create"),
    path("practicas/<int:pk>/editar/", workflow_views.practice_edit, name="edit"),
    path("practicas/<int:pk>/enviar/", workflow_views.practice_submit, name="submit"),
    path("practicas/<int:pk>/revisar/", workflow_views.practice_review, name="review"),
    path("practicas/<int:pk>/replicar/", replication_views.replicate, name="replicate"),
    path("replicas/<int:pk>/", replication_views.replication_detail, name="replication"),
    path("replicas/enlaces/<int:pk>/quitar/", replication_views.replication_unlink, name="replication_unlink"),
]
