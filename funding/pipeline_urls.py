"""The pipeline pages of /financiamiento/."""

from django.urls import path

from . import views

urlpatterns = [
    # The boards: the scope's (or the ambassador's city's) and a city's.
    path("", views.index, name="index"),
    path("ciudad/<int:city_pk>/", views.board, name="board"),
    path("ciudad/<int:city_pk>/etapa/<slug:stage>/", views.board_stage, name="board_stage"),
    # An opportunity: its page, its details, its moves, its money received, its documents.
    path("oportunidades/nueva/", views.opportunity_create, name="opportunity_create"),
    path("oportunidades/<int:pk>/", views.opportunity_detail, name="opportunity"),
    path("oportunidades/<int:pk>/editar/", views.opportunity_edit, name="opportunity_edit"),
    path("oportunidades/<int:pk>/etapa/", views.opportunity_move, name="opportunity_move"),
    path("oportunidades/<int:pk>/desembolsos/", views.disbursement_add, name="disbursement_add"),
    path("desembolsos/<int:pk>/quitar/", views.disbursement_remove, name="disbursement_remove"),
    path("oportunidades/<int:pk>/documentos/", views.opportunity_document_add, name="opportunity_document_add"),
    # Documents of an opportunity or of a plan.
    path("documentos/<int:pk>/", views.document_download, name="document"),
    path("documentos/<int:pk>/quitar/", views.document_remove, name="document_remove"),
]
