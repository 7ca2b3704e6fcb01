"""Every main page, for each role, on a phone and on a desktop: each is audited by axe like the
journeys' pages, and saved as the screenshot the README shows (docs/screenshots/)."""

import pytest
from playwright.sync_api import expect

from ambassadors.models import City
from commitments.models import Action


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_main_pages_of_each_role(open_browser, lima_report, financed_action, device):
    report, _action = lima_report
    lima = City.objects.get(name="Lima")
    funded = financed_action
    submitted = Action.objects.filter(city__country__code="PE", status=Action.Status.SUBMITTED).first()
    tours = {
        None: [("home", "/"), ("login", "/accounts/login/")],
        "emb.lima": [
            ("city-dashboard", f"/ciudades/{lima.pk}/progreso/"),
            ("my-actions", "/acciones/"),
            ("action-detail", f"/acciones/{funded.pk}/"),
            ("action-form", f"/acciones/{funded.pk}/editar/" if funded.status == "draft" else "/acciones/nueva/"),
            ("notifications", "/avisos/"),
            ("reports", "/informes/"),
            ("report", f"/informes/{report.pk}/"),
        ],
        "coord.sur": [
            ("overview", "/panel/"),
            ("cities", "/panel/ciudades/"),
            ("review-queue", "/revision/"),
            ("review", f"/acciones/{submitted.pk}/"),
        ],
        "admin": [("admin", "/admin/")],
    }
    for username, pages in tours.items():
        visitor = open_browser(username, device=device)
        for name, path in pages:
            visitor.go(path)
            expect(visitor.page.get_by_role("heading", level=1).first).to_be_visible()
            visitor.screenshot(name)
