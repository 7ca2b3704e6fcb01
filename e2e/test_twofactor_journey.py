"""Two-factor sign-in in a real browser: a coordinator signs in with the password and a code from
the demo's TOTP app; an ambassador on a phone turns it on from the user menu (QR code and secret,
confirmed with a code, recovery codes once), and from then on signs in with a recovery code."""

import base64
import re

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from ambassadors.demo import DEMO_PASSWORD
from ambassadors.tests.second_factor import code_of


def test_a_coordinator_signs_in_with_a_code_and_an_ambassador_turns_the_second_factor_on(open_browser):
    coordinator = open_browser("coord.sur", device="desktop")  # log_in types the demo app's code
    expect(coordinator.page).to_have_url(re.compile("/panel/"))

    ambassador = open_browser("emb.lima", device="phone")
    page = ambassador.page
    ambassador.open_menu()
    page.get_by_role("button", name=re.compile("Rosa")).click()
    ambassador.follow(page.get_by_role("link", name="Verificación en dos pasos"))
    ambassador.follow(page.get_by_role("link", name="Activar la verificación en dos pasos"))
    expect(page.get_by_role("img", name="Código QR para la aplicación de autenticación")).to_be_visible()
    ambassador.screenshot("twofactor-setup")
    secret = page.locator("#twofactor-secret").inner_text().replace(" ", "")
    app = TOTPDevice(key=base64.b32decode(secret).hex())  # what the phone's app holds, typed by hand
    page.get_by_label("Código que muestra la aplicación").fill(code_of(app))
    ambassador.submit(page.get_by_role("button", name="Confirmar y activar"))
    codes = page.locator(".twofactor-codes li")
    expect(codes).to_have_count(10)
    recovery = codes.first.inner_text()
    ambassador.follow(page.get_by_role("link", name="Ya los guardé, continuar"))
    expect(page.get_by_text("Le quedan 10 códigos de recuperación.")).to_be_visible()

    later = open_browser(None, device="phone")
    later.go("/accounts/login/")
    later.page.get_by_label("Usuario").fill("emb.lima")
    later.page.get_by_label("Contraseña").fill(DEMO_PASSWORD)
    later.submit(later.page.locator("form:has(input[name=password]) button[type=submit]"))
    expect(later.page).to_have_url(re.compile("/accounts/login/codigo/"))
    later.page.get_by_label("Código de verificación").fill(recovery)
    later.submit(later.page.get_by_role("button", name="Verificar y entrar"))
    expect(later.page).to_have_url(re.compile(r"/ciudades/\d+/progreso/"))
