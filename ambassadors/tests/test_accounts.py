import pytest
from django.core import mail
from django.urls import reverse

from ambassadors.tests.second_factor import app_of, code_of
from conftest import PASSWORD


@pytest.mark.django_db
def test_an_ambassador_lands_on_their_city_after_login(client, ambassador, lima):
    response = client.post(reverse("login"), {"username": "alicia", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("reports:city_progress", args=[lima.pk])


@pytest.mark.django_db
def test_a_coordinator_lands_on_the_dashboard_of_their_scope(client, coordinator):
    device = app_of(coordinator)  # required of coordinators (test_twofactor.py)
    response = client.post(reverse("login"), {"username": "carla", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("login_code")
    response = client.post(reverse("login_code"), {"code": code_of(device)}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("reports:overview")


@pytest.mark.django_db
def test_an_admin_lands_on_the_dashboard_too(client, admin):
    device = app_of(admin)
    client.post(reverse("login"), {"username": "admin", "password": PASSWORD})
    response = client.post(reverse("login_code"), {"code": code_of(device)}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("reports:overview")


@pytest.mark.django_db
def test_a_person_without_a_role_is_told_so_on_the_home_page(client_for):
    from ambassadors.tests.factories import UserFactory

    response = client_for(UserFactory()).get(reverse("ambassadors:landing"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "todavía no tiene una ciudad" in response.content.decode()


@pytest.mark.django_db
def test_a_wrong_password_keeps_the_username_and_says_why_in_spanish(client, ambassador):
    response = client.post(reverse("login"), {"username": "alicia", "password": "wrong"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="alicia"' in page
    assert "Por favor, introduzca un nombre de usuario y clave correctos" in page


@pytest.mark.django_db
def test_logout_is_a_post_and_returns_home(client_for, ambassador):
    client = client_for(ambassador)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.url == reverse("home")
    assert client.get(reverse("ambassadors:landing")).status_code == 302


@pytest.mark.django_db
def test_password_reset_sends_a_link_that_lets_the_person_choose_a_new_password(client, ambassador):
    client.post(reverse("password_reset"), {"email": ambassador.email})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "otra-clave-segura-2026", "new_password2": "otra-clave-segura-2026"}
    )
    assert response.url == reverse("password_reset_complete")
    assert client.login(username="alicia", password="otra-clave-segura-2026")


@pytest.mark.django_db
def test_password_change_needs_the_old_password(client_for, ambassador):
    client = client_for(ambassador)
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "nueva-clave-2026-x", "new_password2": "nueva-clave-2026-x"},
    )
    assert response.status_code == 200
    assert "contraseña antigua" in response.content.decode()


@pytest.mark.django_db
def test_the_language_switcher_keeps_the_person_on_the_same_page(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.url == "/accounts/login/"
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in page
