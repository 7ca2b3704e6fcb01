"""Settings for the benchmarks: production's (config.settings, all from the environment) plus
bench/urls.py, which adds a minimal view to compare with. Production never loads this module."""

from config.settings import *  # noqa: F403
from config.settings import STATIC_ROOT, STORAGES

ROOT_URLCONF = "bench.urls"

# Outside debug, {% static %} reads the manifest collectstatic writes and fails without it.
# The benchmarks serve no static files: without a manifest, plain URLs do (a string join instead
# of a dict lookup per tag), so a benchmark needs no collectstatic.
if not (STATIC_ROOT / "staticfiles.json").exists():
    STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
