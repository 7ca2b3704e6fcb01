"""An admin renames a commitment in Django admin: the site shows the new title at once, and a
report written before keeps the title it was written with."""

import re

from playwright.sync_api import expect

NEW_TITLE = "Mercados locales y economía circular"


def test_a_commitment_renamed_in_admin_shows_on_the_site_while_an_older_report_keeps_its_title(
    open_browser, lima_report
):
    report, action = lima_report
    commitment = action.commitment
    old_title = commitment.title_es
    code = f"{commitment.axis.number}.{commitment.number}"

    admin = open_browser("admin", device="desktop")
    page = admin.page
    admin.open_menu_item("Administración")
    admin.follow(page.locator("#commitments-commitment").get_by_role("link", name="Compromisos"))
    admin.follow(page.get_by_role("link", name=old_title, exact=True))
    title = page.get_by_role("textbox", name=re.compile(r"^Título corto \[es\]", re.I))
    expect(title).to_have_value(old_title)
    title.fill(NEW_TITLE)
    admin.screenshot("admin-commitment")
    admin.submit(page.get_by_role("button", name="Guardar", exact=True))
    expect(page.locator(".messagelist")).to_contain_text("se cambió correctamente")

    ambassador = open_browser("emb.lima", device="phone")
    ambassador.go("/acciones/nueva/")
    expect(ambassador.page.get_by_role("link", name=re.compile(rf"^{re.escape(code)} {NEW_TITLE}"))).to_be_visible()
    expect(ambassador.page.get_by_text(old_title, exact=True)).to_have_count(0)

    ambassador.go(f"/informes/{report.pk}/")
    report_body = ambassador.page.locator("article.report-page")
    expect(report_body).to_contain_text(f"{code} {old_title}")
    expect(report_body).not_to_contain_text(NEW_TITLE)
