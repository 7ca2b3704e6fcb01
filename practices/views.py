from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from .models import Practice


@login_required
def practice_detail(request, pk):
    practice = get_object_or_404(Practice.objects.visible_to(request.user).select_related("city"), pk=pk)
    return render(request, "practices/practice_detail.html", {"practice": practice})
