"""The service worker and the web app manifest: what makes the site installable and readable
without a connection. Both are answered from the site's root, the worker so that its scope is
the whole site."""

import json

from django.http import HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import rules
from .icons import GREEN, SIZES

# The vendored Workbox modules the worker loads (static/vendor/workbox, see its README.txt).
WORKBOX_MODULES = ["workbox-core", "workbox-routing", "workbox-strategies", "workbox-cacheable-response"]
# Bump to have phones drop the pages they kept under an older worker.
CACHE_VERSION = "1"


@require_safe
def service_worker(request):
    workbox = static("vendor/workbox/workbox-sw.js")
    config = {
        "module_prefix": workbox.rsplit("/", 1)[0] + "/",
        "pages": rules.path_patterns(),
        "header": rules.HEADER,
        "forget": rules.FORGET_HEADER,
        "cache": f"omcs-pages-v{CACHE_VERSION}",
        "static_cache": f"omcs-static-v{CACHE_VERSION}",
        "static_prefix": static(""),
        "manifest": reverse("offline:manifest"),
    }
    scripts = [workbox] + [static(f"vendor/workbox/{name}.prod.js") for name in WORKBOX_MODULES]
    # JSON of values the server chose (paths, names): nothing a user typed reaches the script.
    context = {"config": _script_json(config), "scripts": _script_json(scripts)}
    response = render(request, "offline/sw.js", context, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # A new worker is found at the next visit, not a day later.
    response["Cache-Control"] = "no-cache"
    return response


def _script_json(value):
    return json.dumps(value).replace("<", "\\u003c")


@require_safe
def manifest(request):
    icons = [
        {"src": static(f"img/icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"} for size in SIZES
    ] + [
        {
            "src": static(f"img/icons/icon-maskable-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "maskable",
        }
        for size in SIZES
    ]
    body = {
        "name": _("OMCS · Compromisos de los embajadores"),
        "short_name": "OMCS",
        "description": _("Registre las acciones de su ciudad, también sin conexión."),
        "lang": request.LANGUAGE_CODE,
        "start_url": reverse("ambassadors:landing"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": GREEN,
        "icons": icons,
    }
    return HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/manifest+json")
