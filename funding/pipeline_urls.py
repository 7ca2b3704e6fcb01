"""The pipeline pages of /financiamiento/."""

urlpatterns = []
