"""A cap on the size of a request's body, checked before any of it is read."""

from django.conf import settings
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat


class RequestBodyLimitMiddleware:
    """Answers 413 to a request that declares a body larger than REQUEST_BODY_MAX_BYTES, without
    reading it: Django would otherwise read it whole (to temporary files) before any form could
    refuse a file for its size. A body without a declared length is read as empty by Django, so
    the declared length is the one to check."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # Django reads a malformed length as no body at all
        if declared > settings.REQUEST_BODY_MAX_BYTES:
            return render(
                request,
                "413.html",
                {"size": filesizeformat(declared), "max": filesizeformat(settings.REQUEST_BODY_MAX_BYTES)},
                status=413,
            )
        return self.get_response(request)
