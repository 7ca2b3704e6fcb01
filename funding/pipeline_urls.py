"""The pipeline pages of /financiamiento/.

PLACEHOLDER of branch h-money, dropped at the merge: the pipeline pages are built on another
branch. These names exist here only so the pages that link to them (an action's "Financiamiento",
the panel, "Mi ciudad") render in this branch's tests.
"""

from django.http import HttpResponse
from django.urls import path


def _placeholder(request, **kwargs):
    return HttpResponse(status=501)


urlpatterns = [
    path("", _placeholder, name="index"),
    path("ciudad/<int:city_pk>/", _placeholder, name="board"),
    path("oportunidades/nueva/", _placeholder, name="opportunity_create"),
    path("oportunidades/<int:pk>/", _placeholder, name="opportunity"),
]
