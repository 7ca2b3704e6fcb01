"""The project's URLs plus /bench/minimal/: the cheapest page the same middleware can serve,
the yardstick the benchmarks compare real pages with."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def minimal(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/minimal/", minimal, name="bench_minimal"), *project_urlpatterns]
