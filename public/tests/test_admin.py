"""Django admin: an admin switches a city's public page on and off through public.services."""

from django.urls import reverse

from public.models import PublicPage


def test_an_admin_switches_a_citys_page_on_then_off_and_corrects_its_address(client_for, admin, lima):
    client = client_for(admin)
    response = client.post(reverse("admin:public_publicpage_add"), {"city": lima.pk, "slug": "", "published": "on"})
    assert response.status_code == 302
    page = PublicPage.objects.get(city=lima)
    assert (page.slug, page.status, page.decided_by) == ("lima-pe", "published", admin)
    assert client.get("/publico/lima-pe/").status_code == 200

    change = reverse("admin:public_publicpage_change", args=[page.pk])
    assert client.post(change, {"slug": "lima-peru"}).status_code == 302
    page.refresh_from_db()
    assert (page.slug, page.status) == ("lima-peru", "unpublished")
    assert client.get("/publico/lima-peru/").status_code == 404
    assert page.history.count() == 2


def test_an_address_of_another_page_of_the_site_is_refused(client_for, admin, lima):
    client = client_for(admin)
    response = client.post(
        reverse("admin:public_publicpage_add"), {"city": lima.pk, "slug": "solicitudes", "published": "on"}
    )
    assert response.status_code == 200
    assert "Esa dirección es de otra página del sitio" in response.content.decode()
    assert not PublicPage.objects.exists()
