"""/financiamiento/: the pipeline (funding.pipeline_urls) and the transition plan (funding.plan_urls)."""

from . import pipeline_urls, plan_urls

app_name = "funding"
urlpatterns = pipeline_urls.urlpatterns + plan_urls.urlpatterns
