"""Every model has a factory, and what it makes passes the model's own validation."""

import factory
import pytest
from django.apps import apps

from ambassadors.tests import factories as ambassadors
from api.tests import factories as api
from appointments.tests import factories as appointments
from axes.tests import factories as axes
from commitments.tests import factories as commitments
from core.tests import factories as core
from funding.tests import factories as funding
from hazards.tests import factories as hazards
from health.tests import factories as health
from imports.tests import factories as imports
from invitations.tests import factories as invitations
from kinds.tests import factories as kinds
from practices.tests import factories as practices
from public.tests import factories as public
from reports.tests import factories as reports
from terms.tests import factories as terms

MODULES = [
    ambassadors,
    api,
    appointments,
    axes,
    commitments,
    core,
    funding,
    hazards,
    health,
    invitations,
    kinds,
    practices,
    reports,
    public,
    imports,
    terms,
]
FACTORIES = [
    value
    for module in MODULES
    for value in vars(module).values()
    if isinstance(value, type)
    and issubclass(value, factory.django.DjangoModelFactory)
    and not value._meta.abstract
    and value.__module__ == module.__name__
]
PROJECT_APPS = {
    "ambassadors",
    "api",
    "appointments",
    "axes",
    "commitments",
    "core",
    "funding",
    "hazards",
    "health",
    "invitations",
    "kinds",
    "practices",
    "reports",
    "public",
    "imports",
    "terms",
}


def test_every_model_of_the_project_has_a_factory():
    models = {model for model in apps.get_models() if model._meta.app_label in PROJECT_APPS}
    models = {model for model in models if not model.__name__.startswith("Historical")}
    assert models <= {model_factory._meta.model for model_factory in FACTORIES}


@pytest.mark.django_db
@pytest.mark.parametrize("model_factory", FACTORIES, ids=lambda model_factory: model_factory.__name__)
def test_a_factorys_row_is_valid(model_factory):
    row = model_factory()
    row.refresh_from_db()
    row.full_clean()
