"""The project's URLs plus the yardsticks the benchmarks compare real pages with, served by the
same middleware:

- /bench/minimal/: the cheapest page, a plain "ok";
- /bench/floor/<commitment>/: the stack's cost of one write (issue 27): login required, a Django
  ModelForm of a few of Action's own fields in a tiny template (with its CSRF token) on GET; on
  POST the form saves one action (in the user's city, of that commitment, with what the model
  itself does on save: its audit row) and redirects. No scope helper, no service, no details:
  what any form page that writes a row pays at least."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template import engines
from django.urls import path

from ambassadors.models import Ambassador
from commitments.models import Action
from config.urls import urlpatterns as project_urlpatterns

FLOOR_TEMPLATE = engines["django"].from_string(
    '<!doctype html><title>floor</title><form method="post">{% csrf_token %}{{ form.as_div }}'
    '<button type="submit">ok</button></form>'
)


def minimal(request):
    return HttpResponse("ok")


class FloorActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["title", "started_on", "description", "people_reached"]


@login_required
def floor(request, commitment_pk):
    form = FloorActionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        appointment = Ambassador.objects.filter(user=request.user, status=Ambassador.Status.ACTIVE).first()
        if appointment is None:
            raise Http404
        form.instance.ambassador, form.instance.city_id = appointment, appointment.city_id
        form.instance.commitment_id = commitment_pk
        action = form.save()
        return redirect(f"{request.path}?saved={action.pk}")
    return HttpResponse(FLOOR_TEMPLATE.render({"form": form}, request))


urlpatterns = [
    path("bench/minimal/", minimal, name="bench_minimal"),
    path("bench/floor/<int:commitment_pk>/", floor, name="bench_floor"),
    *project_urlpatterns,
]
