from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:what>/subir/", views.upload, name="upload"),
    path("<slug:what>/exportar.<slug:output>", views.export, name="export"),
    path("<int:pk>/", views.job, name="job"),
    path("<int:pk>/estado/", views.job_status, name="job_status"),
    path("<int:pk>/confirmar/", views.job_apply, name="job_apply"),
    path("<int:pk>/cancelar/", views.job_cancel, name="job_cancel"),
]
