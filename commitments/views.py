from django.shortcuts import render

from .models import catalogue


def home(request):
    """Public: the organisation's preamble and the three axes with their commitments."""
    return render(request, "commitments/home.html", {"axes": catalogue()})
