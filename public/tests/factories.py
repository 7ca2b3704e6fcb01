"""Factories of the public app."""

import factory

from ambassadors.tests.factories import CityFactory
from public.models import PublicPage, slug_for


class PublicPageFactory(factory.django.DjangoModelFactory):
    """PublicPageFactory(city=lima): the city's page, published (status="pending" or others for the
    other states). The workflow's own steps are public.services'; tests of it call them."""

    class Meta:
        model = PublicPage

    city = factory.SubFactory(CityFactory)
    slug = factory.LazyAttribute(lambda page: slug_for(page.city))
    status = PublicPage.Status.PUBLISHED
