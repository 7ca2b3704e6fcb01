"""The plan pages of /financiamiento/: a city's transition plan, its versions, its review."""

from django.urls import path

from . import plan_views

urlpatterns = [
    path("plan/", plan_views.my_plan, name="my_plan"),
    path("plan/nuevo/", plan_views.plan_start, name="plan_start"),
    path("ciudad/<int:city_pk>/plan/", plan_views.city_plan, name="city_plan"),
    path("planes/<int:pk>/", plan_views.plan_detail, name="plan"),
    path("planes/<int:pk>/editar/", plan_views.plan_edit, name="plan_edit"),
    path("planes/<int:pk>/hitos/nuevo/", plan_views.milestone_create, name="milestone_create"),
    path("planes/<int:pk>/enviar/", plan_views.plan_submit, name="plan_submit"),
    path("planes/<int:pk>/revision/", plan_views.plan_review, name="plan_review"),
    path("planes/<int:pk>/nueva-version/", plan_views.plan_revise, name="plan_revise"),
    path("planes/<int:pk>/documentos/", plan_views.plan_document_add, name="plan_document_add"),
    path("hitos/<int:pk>/editar/", plan_views.milestone_edit, name="milestone_edit"),
    path("hitos/<int:pk>/quitar/", plan_views.milestone_remove, name="milestone_remove"),
    path("hitos/<int:pk>/estado/", plan_views.milestone_status, name="milestone_status"),
]
