from django.urls import path

from . import views

app_name = "commitments"

urlpatterns = [
    path("acciones/", views.action_list, name="actions"),
    path("acciones/nueva/", views.action_choose_commitment, name="action_choose"),
    path("acciones/nueva/<int:commitment_pk>/", views.action_create, name="action_create"),
    path("acciones/<int:pk>/", views.action_detail, name="action"),
    path("acciones/<int:pk>/editar/", views.action_edit, name="action_edit"),
    path("acciones/<int:pk>/enviar/", views.action_submit, name="action_submit"),
    path("acciones/<int:pk>/retirar/", views.action_withdraw, name="action_withdraw"),
    path("acciones/<int:pk>/eliminar/", views.action_delete, name="action_delete"),
    path("acciones/<int:pk>/revisar/", views.action_review, name="action_review"),
    path("revision/", views.review_queue, name="review_queue"),
    path("avisos/", views.notifications, name="notifications"),
    path("acciones/<int:pk>/evidencias/", views.evidence_upload, name="evidence_upload"),
    path("evidencias/<int:pk>/descargar/", views.evidence_download, name="evidence_download"),
    path("evidencias/<int:pk>/quitar/", views.evidence_delete, name="evidence_delete"),
    path("ciudades/<int:city_pk>/metas/nueva/", views.target_create, name="target_create"),
    path("metas/<int:pk>/editar/", views.target_edit, name="target_edit"),
]
