"""An ambassador on a phone whose connection comes and goes (issue 24): a draft saved without a
connection stays on the phone, survives a reload served by the service worker, and reaches the
server exactly once when the connection returns; a large photo is reduced before it is uploaded;
after logout nothing of the person can be read offline."""

import datetime
import io
import re
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from PIL import Image
from playwright.sync_api import expect

from ambassadors import services as ambassador_services
from ambassadors.models import Ambassador
from commitments import services
from commitments.models import Action, Commitment, Evidence

from .browsing import field, wait_until

TITLE = "Jornada de limpieza del río Rímac sin señal"
PENDING = "Guardado en este teléfono, aún no enviado"


def _controlled(visitor):
    """Wait until the service worker is active and controls the page (it claims open pages)."""
    wait_until(visitor.page, "navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=20_000)


def _new_action_form(visitor):
    commitment = Commitment.objects.get(axis__number=2, number=1)
    return f"/acciones/nueva/{commitment.pk}/"


def _drafts(page):
    return page.evaluate(
        """() => new Promise((resolve) => {
            const opening = indexedDB.open("omcs-offline", 1);
            opening.onupgradeneeded = () => opening.result.createObjectStore("drafts", { keyPath: "id" });
            opening.onsuccess = () => {
                const request = opening.result.transaction("drafts").objectStore("drafts").getAll();
                request.onsuccess = () => { opening.result.close(); resolve(request.result); };
            };
        })"""
    )


def test_a_draft_saved_offline_is_kept_on_the_phone_and_reaches_the_server_once(open_browser):
    ambassador = open_browser("emb.lima", device="phone")
    page = ambassador.page
    _controlled(ambassador)
    form_path = _new_action_form(ambassador)
    ambassador.go(form_path)  # through the worker: kept for reading offline
    ambassador.open_menu_item("Mis acciones")  # kept too
    ambassador.go(form_path)

    ambassador.context.set_offline(True)
    field(page, "Título").fill(TITLE)
    page.get_by_label("Qué se hizo").fill("Cuarenta voluntarios retiraron residuos de la ribera.")
    page.get_by_role("button", name="Guardar borrador").click()
    status = page.locator("#draft-status")
    expect(status).to_contain_text(PENDING)
    assert not Action.objects.filter(title=TITLE).exists()

    # Reloaded without a connection: the page comes from the phone, with the draft in it.
    page.reload()
    ambassador.check()
    expect(page.locator("body")).to_have_attribute("data-offline-source", "cache")
    expect(page.locator("#offline-banner")).to_be_visible()
    expect(page.locator("#offline-banner")).to_contain_text(re.compile(r"sin conexión · datos del \d"))
    expect(field(page, "Título")).to_have_value(TITLE)
    expect(status).to_contain_text(PENDING)
    # "Mis acciones", opened before, reads offline too.
    ambassador.open_menu_item("Mis acciones")
    expect(page.locator("#offline-banner")).to_be_visible()
    page.go_back()
    ambassador.check()

    # The connection returns: the draft is sent once, and the page says so.
    ambassador.context.set_offline(False)
    expect(status).to_contain_text("Borrador enviado", timeout=20_000)
    assert Action.objects.filter(title=TITLE).count() == 1
    action = Action.objects.get(title=TITLE)
    assert action.client_key is not None and action.status == "draft"
    expect(status.get_by_role("link", name="Abrir la acción")).to_have_attribute("href", f"/acciones/{action.pk}/")
    assert _drafts(page) == []

    # Reloading online, or the connection flickering, sends nothing again.
    ambassador.go(form_path)
    ambassador.context.set_offline(True)
    ambassador.context.set_offline(False)
    page.wait_for_timeout(500)
    assert Action.objects.filter(title=TITLE).count() == 1
    expect(page.locator("#offline-banner")).to_be_hidden()


def test_a_draft_changed_on_the_server_meanwhile_is_not_overwritten_and_the_person_chooses(open_browser):
    ambassador = open_browser("emb.lima", device="phone")
    page = ambassador.page
    action = Action.objects.filter(city__name="Lima", status=Action.Status.DRAFT).order_by("pk").first()
    ambassador.go(f"/acciones/{action.pk}/editar/")

    ambassador.context.set_offline(True)
    field(page, "Título").fill("Título escrito en el teléfono")
    page.get_by_role("button", name="Guardar borrador").click()
    status = page.locator("#draft-status")
    expect(status).to_contain_text(PENDING)
    # Meanwhile, from another device, the same draft changes on the server.
    services.action_update(action=action, by=action.ambassador.user, data={"title": "Título cambiado en la oficina"})

    ambassador.context.set_offline(False)
    expect(status).to_contain_text("La acción cambió en el servidor mientras tanto", timeout=20_000)
    assert Action.objects.get(pk=action.pk).title == "Título cambiado en la oficina"
    ambassador.follow(status.get_by_role("button", name="Ver las dos versiones y elegir"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dos versiones de la acción")
    table = page.get_by_role("table", name="Lo que difiere entre las dos versiones")
    expect(table).to_contain_text("Título cambiado en la oficina")
    expect(table).to_contain_text("Título escrito en el teléfono")
    ambassador.follow(page.get_by_role("button", name="Guardar la versión de este teléfono"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Título escrito en el teléfono")
    assert Action.objects.get(pk=action.pk).title == "Título escrito en el teléfono"
    assert _drafts(page) == []


def _large_photo(path):
    image = Image.new("RGB", (4000, 3000))
    for x in range(0, 4000, 250):
        image.paste((x % 255, 90, 160), (x, 0, x + 125, 3000))
    image.save(path, "PNG")
    return path


def test_a_large_photo_is_reduced_on_the_phone_before_it_is_uploaded(open_browser, tmp_path):
    ambassador = open_browser("emb.lima", device="phone")
    page = ambassador.page
    action = Action.objects.filter(city__name="Lima", status=Action.Status.DRAFT).order_by("pk").first()
    before = set(Evidence.objects.filter(action=action).values_list("pk", flat=True))
    ambassador.go(f"/acciones/{action.pk}/")
    page.get_by_label("Archivos").set_input_files(_large_photo(tmp_path / "rio-rimac.png"))
    page.get_by_role("button", name="Subir").click()
    row = page.locator(".upload-row")
    expect(row.locator("progress")).to_be_visible()
    expect(row).to_have_attribute("data-upload-state", "done", timeout=30_000)
    expect(row.locator("progress")).to_have_attribute("value", "100")
    ambassador.check()
    ambassador.follow(page.get_by_role("link", name="Ver las evidencias subidas"))

    stored = Evidence.objects.filter(action=action).exclude(pk__in=before).get()
    assert stored.content_type == "image/jpeg"
    assert stored.original_name == "rio-rimac.jpg"
    with stored.file.open("rb") as file, Image.open(io.BytesIO(file.read())) as image:
        assert image.format == "JPEG"
        assert max(image.size) <= 2048
        assert image.size == (2048, 1536)
    expect(page.get_by_role("link", name="rio-rimac.jpg")).to_be_visible()


def test_a_photo_whose_upload_failed_is_sent_again_alone(open_browser, tmp_path):
    ambassador = open_browser("emb.lima", device="phone")
    page = ambassador.page
    action = Action.objects.filter(city__name="Lima", status=Action.Status.DRAFT).order_by("pk").first()
    count = Evidence.objects.filter(action=action).count()
    ambassador.go(f"/acciones/{action.pk}/")
    failures = []

    def fail_once(route):
        if failures:
            return route.continue_()
        failures.append(route.request.url)
        return route.abort("connectionreset")

    page.route(f"**/acciones/{action.pk}/evidencias/", fail_once)
    page.get_by_label("Archivos").set_input_files(_large_photo(tmp_path / "puente.png"))
    page.get_by_role("button", name="Subir").click()
    row = page.locator(".upload-row")
    expect(row).to_have_attribute("data-upload-state", "failed", timeout=30_000)
    expect(row).to_contain_text("No se pudo subir.")
    assert Evidence.objects.filter(action=action).count() == count
    # The connection this test cut is the only console error Chromium reports.
    assert [error for error in ambassador.errors if "ERR_CONNECTION_RESET" not in error] == []
    ambassador.errors.clear()
    ambassador.check()
    row.get_by_role("button", name="Reintentar: puente.jpg").click()
    expect(row).to_have_attribute("data-upload-state", "done", timeout=30_000)
    assert Evidence.objects.filter(action=action).count() == count + 1
    ambassador.follow(page.get_by_role("link", name="Ver las evidencias subidas"))
    expect(page.get_by_role("link", name="puente.jpg")).to_be_visible()


def test_after_logout_nothing_of_the_person_can_be_read_offline(open_browser):
    ambassador = open_browser("emb.lima", device="phone")
    page = ambassador.page
    _controlled(ambassador)
    form_path = _new_action_form(ambassador)
    ambassador.go(form_path)
    ambassador.open_menu_item("Mis acciones")
    ambassador.go(form_path)
    field(page, "Título").fill("Borrador que no debe quedar")
    wait_until(page, "document.querySelector('#draft-status') !== null")
    page.wait_for_timeout(400)  # the draft is written as it is typed
    assert [draft["path"] for draft in _drafts(page)] == [form_path]
    assert page.evaluate("caches.keys().then((names) => names.length)") > 0

    logout = page.locator("form[action='/accounts/logout/']")
    ambassador._audit_the_next_document(lambda: logout.evaluate("form => form.requestSubmit()"))
    wait_until(
        page,
        """async () => (await caches.keys()).length === 0
            && (await navigator.serviceWorker.getRegistrations()).length === 0
            && !document.cookie.includes("omcs_signed_out")""",
    )
    assert _drafts(page) == []

    ambassador.context.set_offline(True)
    for path in (form_path, "/acciones/"):
        try:
            response = page.goto(ambassador.url(path))
        except Exception as error:  # Chromium's own offline page: nothing was kept
            assert "ERR_INTERNET_DISCONNECTED" in str(error)
        else:
            assert response is None or not response.ok
            assert "Borrador que no debe quedar" not in page.content()
            assert "Mis acciones" not in page.title()
    ambassador.unaudited.clear()  # Chromium's own error page: not the app's
    ambassador.errors.clear()
    ambassador.context.set_offline(False)


def _readable_offline(ambassador, path):
    """Whether `path` is shown from the phone without a connection."""
    page = ambassador.page
    ambassador.context.set_offline(True)
    try:
        response = page.goto(ambassador.url(path))
    except Exception as error:  # Chromium's offline page, or the worker had no copy to give
        assert "ERR_INTERNET_DISCONNECTED" in str(error) or "ERR_FAILED" in str(error)
        readable = False
    else:
        readable = response is not None and response.ok and "Mis acciones" in page.title()
    ambassador.context.set_offline(False)
    ambassador.unaudited.clear()  # Chromium's own error page: not the app's
    ambassador.errors.clear()
    return readable


def _kept_pages(page):
    return page.evaluate(
        """async () => {
            let count = 0;
            for (const name of await caches.keys()) {
                if (name.startsWith("omcs-pages")) count += (await (await caches.open(name)).keys()).length;
            }
            return count;
        }"""
    )


def test_kept_pages_stop_being_readable_offline_when_the_right_to_read_them_ends(open_browser):
    ambassador = open_browser("emb.lima", device="phone")
    page = ambassador.page
    _controlled(ambassador)
    ambassador.open_menu_item("Mis acciones")
    ambassador.go("/acciones/")  # through the worker, with Cache-Control: private, no-store
    assert _kept_pages(page) > 0
    assert _readable_offline(ambassador, "/acciones/")

    # The appointment ends (the person stays signed in): the next kept page the phone asks for
    # says so, and every kept page goes.
    appointment = Ambassador.objects.get(user__username="emb.lima", status=Ambassador.Status.ACTIVE)
    ambassador_services.ambassador_end(ambassador=appointment, ended_on=datetime.date.today())
    page.goto(ambassador.url("/acciones/"))
    wait_until(
        page,
        """async () => {
            for (const name of await caches.keys()) {
                if (name.startsWith("omcs-pages")) return false;
            }
            return true;
        }""",
    )
    assert not _readable_offline(ambassador, "/acciones/")


def test_kept_pages_go_when_the_session_ends_without_a_logout(open_browser):
    ambassador = open_browser("emb.lima", device="phone")
    page = ambassador.page
    _controlled(ambassador)
    ambassador.open_menu_item("Mis acciones")
    ambassador.go("/acciones/")
    assert _kept_pages(page) > 0

    # The session ends on the server (expired, closed from another device): the kept page now
    # sends the phone to the login, whose script forgets the kept pages. Ended through the session
    # store, which also forgets its cached copy (cached_db with Redis, as in CI).
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in Session.objects.values_list("session_key", flat=True):
        store(session_key=key).delete()
    page.goto(ambassador.url("/acciones/"))
    page.wait_for_url(re.compile(r"/accounts/login/"))
    wait_until(
        page,
        """async () => {
            for (const name of await caches.keys()) {
                if (name.startsWith("omcs-pages")) return false;
            }
            return true;
        }""",
    )
    assert not _readable_offline(ambassador, "/acciones/")
