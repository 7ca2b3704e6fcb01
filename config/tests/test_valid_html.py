"""Every page the demo's cast reaches is valid HTML by the Nu Html Checker (the W3C validator,
`vnu.jar` from npm's vnu-jar, run on Java): the errors it finds (duplicate ids, a label for the
wrong field, ARIA where it has no meaning) break assistive technology that axe does not test.

The pages come from the same crawl as the security headers' test; they are written to files and
checked by one run of the validator."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from ambassadors.models import City
from config.tests.crawling import crawl, html_of, view_of
from config.tests.html_checker import VNU_JAR, validate
from reports.models import ProgressReport
from reports.periods import period_of, previous_period
from reports.services import report_generate

# Who crawls, from where (the main pages first, then those the budget would not reach), and
# under which path: the cast of the demo, and a visitor.
CAST = [
    (
        None,
        ["/", "/publico/", "/accounts/password_reset/", "/accounts/password_reset/done/", "/verificar/ABCDEFGHJKMN/"],
        "",
    ),
    (
        "emb.lima",
        ["/inicio/", "/financiamiento/plan/", "/practicas/", "/importar/", "/informes/", "/nombramiento/compromisos/"],
        "",
    ),
    ("emb.bogota", ["/inicio/", "/acciones/"], ""),
    ("coord.sur", ["/panel/", "/revision/", "/financiamiento/plan/", "/publico/solicitudes/"], ""),
    ("admin", ["/panel/", "/informes/", "/periodos/", "/periodos/pendientes/"], ""),
    ("admin", ["/admin/"], "/admin/"),
]
PAGES_PER_CRAWL = 200


def test_the_checker_names_the_page_and_the_error(tmp_path):
    valid = "<!DOCTYPE html><html lang=es><title>Bien</title><p id=a>Uno</p>"
    broken = "<!DOCTYPE html><html lang=es><title>Mal</title><p id=a>Uno</p><label for=a>Dos</label><p id=a>"
    errors = validate({"/bien/": valid, "/mal/": broken}, tmp_path)
    assert [(url, message) for url, _line, message in errors] == [
        ("/mal/", "Duplicate ID “a”."),
        (
            "/mal/",
            "The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control.",
        ),
    ]


class TestOnTheDemo:
    @staticmethod
    def ready_report_of_lima():
        """The demo is loaded without its reports: Lima's last month, written now, without its PDF."""
        lima = City.objects.get(name="Lima")
        period = previous_period("month", period_of("month", timezone.localdate()))
        report = ProgressReport.objects.create(
            city=lima, kind="month", period_start=period.start, period_end=period.end
        )
        report_generate(report, with_pdf=False)

    def test_every_page_is_valid_html(self, demo_for_reading, client, tmp_path, record_property):
        assert VNU_JAR.exists(), f"{VNU_JAR} is missing: `make install-dev` fetches it from npm (vnu-jar)"
        pages = {}
        self.ready_report_of_lima()
        for username, starts, stay_under in CAST:
            client.logout()
            if username:
                client.force_login(get_user_model().objects.get(username=username))
            for url, response in crawl(client, *starts, stay_under=stay_under, most=PAGES_PER_CRAWL).items():
                if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
                    pages[f"{username or 'anonymous'} {url}"] = html_of(response)
        assert len(pages) >= 200, sorted(pages)
        errors = validate(pages, tmp_path)
        views = {view_of(url.partition(" ")[2]) for url in pages}
        record_property(
            "terminal_summary",
            f"Nu Html Checker: {len(pages)} pages of {len(views)} views checked, {len(errors)} errors",
        )
        assert not errors, "\n".join(f"{url} (line {line}): {message}" for url, line, message in errors)


def test_the_invitation_pages_are_valid_html(client, coordinator, admin, ambassador, lima, tmp_path, peru):
    """The pages no crawl reaches: the invitation's link in each of its states, and the forms
    with their errors shown."""
    from django.urls import reverse

    from ambassadors.tests.factories import CityFactory
    from invitations import services as invitation_services
    from invitations.links import token_for

    callao = CityFactory(country=peru, name="Callao")
    invitation = invitation_services.invitation_create(
        by=coordinator, email="nueva@example.org", full_name="Nora Nueva", role="ambassador", city=callao
    )
    link = reverse("invitations:accept", args=[token_for(invitation)])
    pages = {"new": client.get(link), "new, errors": client.post(link, {"password1": "1"})}
    client.force_login(ambassador)
    pages["another account"] = client.get(link)
    client.force_login(coordinator)
    pages["list"] = client.get(reverse("invitations:list"))
    pages["form, errors"] = client.post(reverse("invitations:create"), {"email": "x", "city": lima.pk})
    client.force_login(admin)
    pages["admin's form"] = client.get(reverse("invitations:create"))
    client.logout()
    invitation_services.invitation_revoke(invitation=invitation, by=coordinator)
    pages["revoked"] = client.get(link)
    pages["invalid"] = client.get(reverse("invitations:accept", args=["broken"]))
    assert [response.status_code for response in pages.values()] == [200, 200, 200, 200, 200, 200, 410, 404]
    errors = validate({name: response.content.decode() for name, response in pages.items()}, tmp_path)
    assert not errors, "\n".join(f"{url} (line {line}): {message}" for url, line, message in errors)


def test_a_long_board_its_stage_list_and_a_capped_action_list_are_valid_html(
    client, ambassador, lima, tmp_path, monkeypatch
):
    """Pages the demo's data does not reach: a stage with more cards than its column shows, the
    list of all of them, a plan's milestone with more opportunities than it lists, and the actions
    list past its count's cap."""
    from django.urls import reverse

    from commitments import views as commitment_views
    from commitments.tests.factories import ActionFactory
    from funding import boards, plan_views
    from funding.tests.factories import OpportunityFactory, TransitionPlanFactory

    plan = TransitionPlanFactory(by=ambassador)
    milestone = plan.milestones.first()
    for card in range(boards.CARDS_PER_STAGE + 1):
        OpportunityFactory(by=ambassador, milestones=[milestone] if card < 2 else [])
    monkeypatch.setattr(plan_views, "OPPORTUNITIES_PER_MILESTONE", 1)
    ActionFactory.create_batch(3, by=ambassador)
    client.force_login(ambassador)
    pages = {
        "board": client.get(reverse("funding:board", args=[lima.pk])),
        "stage": client.get(reverse("funding:board_stage", args=[lima.pk, "identified"])),
        "empty stage": client.get(reverse("funding:board_stage", args=[lima.pk, "rejected"])),
        "plan": client.get(reverse("funding:plan", args=[plan.pk])),
        "plan, a milestone expanded": client.get(reverse("funding:plan", args=[plan.pk]), {"hito": milestone.pk}),
    }
    monkeypatch.setattr(commitment_views, "ACTIONS_PER_PAGE", 2)
    monkeypatch.setattr(commitment_views, "ACTIONS_COUNTED", 2)
    pages["capped actions"] = client.get(reverse("commitments:actions"))
    assert [response.status_code for response in pages.values()] == [200] * 6
    assert "Más de 2 acciones" in pages["capped actions"].content.decode()
    assert "Ver las 2 oportunidades de" in pages["plan"].content.decode()
    errors = validate({name: response.content.decode() for name, response in pages.items()}, tmp_path)
    assert not errors, "\n".join(f"{url} (line {line}): {message}" for url, line, message in errors)
