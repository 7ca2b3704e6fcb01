"""The appointment as a journey (issue 29), in one browser test: the admin, signed in with the
demo app's second factor, invites a new ambassador for a city of Peru next to Lima; the email's
link is followed on a phone, a password set, and the new ambassador can open nothing before
accepting the commitments, read word for word; the letter then downloads, and its code verifies
for an anonymous visitor (who learns the state and nothing else). Later Peru's coordinator names
a successor, who accepts the commitments in turn and takes over the draft left behind. Every page
is audited by axe and checked by the Nu Html Checker."""

import datetime
import re
import subprocess

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from ambassadors.demo import DEMO_PASSWORD
from ambassadors.models import Ambassador
from ambassadors.services import ambassador_set_term
from ambassadors.tests.factories import UserFactory
from appointments.models import Acceptance
from commitments.models import Action, Commitment
from commitments.tests.factories import ActionFactory

from .browsing import field
from .test_invitation_journey import _neighbour_of_lima

PASSWORD = "una-clave-para-el-nombramiento-2026"
DRAFT = "Censo de árboles del malecón"


def _invite(admin, city):
    page = admin.page
    admin.open_menu_item("Invitaciones")
    admin.follow("Invitar a una persona")
    field(page, "Nombre completo").fill("Rosa Quispe Mamani")
    field(page, "Correo").fill("rosa.quispe@example.org")
    page.get_by_label("Embajador o embajadora de una ciudad").check()
    page.locator("#id_city").select_option(value=str(city.pk))
    mail.outbox.clear()
    admin.submit(page.get_by_role("button", name="Enviar la invitación"))
    expect(page.locator(".messages")).to_contain_text("Invitación enviada a rosa.quispe@example.org.")
    (message,) = mail.outbox
    return "/invitacion/" + re.search(r"/invitacion/(\S+/)", message.body).group(1)


def _accept_the_commitments(visitor):
    """Nothing opens before: any page sends to the commitments, which are the catalogue's own text."""
    page = visitor.page
    visitor.go("/acciones/")
    expect(page).to_have_url(re.compile(r"/nombramiento/compromisos/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Funciones y compromisos de su nombramiento")
    for commitment in Commitment.objects.filter(active=True):
        expect(page.locator("main")).to_contain_text(commitment.text_es)
    visitor.check()
    page.get_by_label("He leído las funciones y compromisos de mi nombramiento y los acepto.").check()
    visitor.submit(page.get_by_role("button", name="Acepto"))
    expect(page).not_to_have_url(re.compile(r"/nombramiento/compromisos/"))


@pytest.mark.acceptance_pending
def test_an_invited_ambassador_accepts_gets_a_letter_that_verifies_and_is_succeeded(open_browser, tmp_path):
    city = _neighbour_of_lima()
    admin = open_browser("admin", device="desktop")
    path = _invite(admin, city)

    rosa = open_browser(None, device="phone")
    rosa.go(path)
    field(rosa.page, "Contraseña").fill(PASSWORD)
    field(rosa.page, "Repita la contraseña").fill(PASSWORD)
    rosa.submit(rosa.page.get_by_role("button", name="Aceptar y entrar"))
    appointment = Ambassador.objects.current().get(city=city)
    assert appointment.user.email == "rosa.quispe@example.org"
    expect(rosa.page).to_have_url(re.compile(r"/nombramiento/compromisos/"))
    assert not Acceptance.objects.filter(appointment=appointment).exists()
    _accept_the_commitments(rosa)
    acceptance = Acceptance.objects.get(appointment=appointment)
    assert (acceptance.language, acceptance.accepted_by_id) == ("es", appointment.user_id)

    rosa.go("/nombramiento/compromisos/")
    with rosa.page.expect_download() as download:
        rosa.page.get_by_role("link", name="Descargar la carta de nombramiento (PDF)").click()
    letter = tmp_path / "carta.pdf"
    download.value.save_as(letter)
    text = subprocess.run(["pdftotext", str(letter), "-"], capture_output=True, check=True).stdout.decode()
    assert "Rosa Quispe Mamani" in text and city.name in text
    # The code as the letter's verification address carries it (a line may break inside the address).
    code = re.search(r"/verificar/([A-Z0-9]{12})/", re.sub(r"\s+", "", text)).group(1)

    stranger = open_browser(None, device="phone")
    stranger.go("/verificar/")
    field(stranger.page, "Código de verificación").fill(code)
    stranger.submit(stranger.page.get_by_role("button", name="Verificar"))
    main = stranger.page.locator("main")
    expect(main).to_contain_text("Válida. La carta de nombramiento está vigente.")
    for secret in ("Rosa", "Quispe", city.name):
        expect(main).not_to_contain_text(secret)

    # Later, her term near its end: Peru's coordinator names a registered person to succeed Rosa,
    # who left a draft.
    ambassador_set_term(ambassador=appointment, term_ends_on=timezone.localdate() + datetime.timedelta(days=20))
    draft = ActionFactory(by=appointment.user, title=DRAFT)
    UserFactory(username="teo.vargas", first_name="Teo", last_name="Vargas", password=DEMO_PASSWORD)
    coordinator = open_browser("coord.sur", device="phone")
    coordinator.open_menu_item("Periodos")
    coordinator.follow(coordinator.page.get_by_role("link", name=re.compile(f"^{city.name} · ")))
    coordinator.page.get_by_label("Persona registrada").select_option(label="Teo Vargas (teo.vargas@example.org)")
    coordinator.submit(coordinator.page.get_by_role("button", name=re.compile(r"^Nombrar.* al sucesor$")))
    expect(coordinator.page.locator(".messages")).to_contain_text(f"Teo Vargas sucede en {city.name}")

    successor = open_browser("teo.vargas", device="phone")
    _accept_the_commitments(successor)
    successor.go("/periodos/pendientes/")
    successor.submit(successor.page.get_by_role("button", name=re.compile(f"^Continuarla.*{DRAFT}$")))
    expect(successor.page.get_by_role("heading", level=1)).to_have_text(DRAFT)
    draft = Action.objects.select_related("ambassador__user").get(pk=draft.pk)
    assert (draft.status, draft.ambassador.user.username) == ("draft", "teo.vargas")

    stranger.go(f"/verificar/{code}/")
    expect(stranger.page.locator("main")).to_contain_text("Vencida.")
