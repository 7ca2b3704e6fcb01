"""The plan pages of /financiamiento/."""

urlpatterns = []
