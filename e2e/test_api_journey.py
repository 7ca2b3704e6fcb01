"""The API's journey in a browser: Lima's ambassador makes a token from the account menu, a script
reads her actions with it, she revokes it; Swagger UI runs under the site's CSP."""

import re

from playwright.sync_api import expect


def test_a_token_is_made_used_and_revoked_and_the_docs_run_under_the_csp(open_browser):
    alicia = open_browser("emb.lima")
    page = alicia.page
    page.locator(".nav-item.dropdown .dropdown-toggle").last.click()
    alicia.follow(page.get_by_role("link", name="Tokens de la API"))
    page.get_by_label("Nombre").fill("Hoja de cálculo")
    alicia.submit(page.get_by_role("button", name="Crear token"))
    secret = page.get_by_label("Su nuevo token").input_value()
    assert secret.startswith("omcs_")

    # What a script sends. The browser's session cookie goes along, but the token is read first:
    # a revoked one is refused even beside a session.
    script = alicia.context.request
    answer = script.get(alicia.url("/api/v1/actions/"), headers={"Authorization": f"Bearer {secret}"})
    assert answer.status == 200
    assert {row["city_name"] for row in answer.json()["results"]} == {"Lima"}

    alicia.submit(page.get_by_role("button", name=re.compile("Revocar")))
    expect(page.get_by_role("status")).to_contain_text("Hoja de cálculo")
    refused = script.get(alicia.url("/api/v1/actions/"), headers={"Authorization": f"Bearer {secret}"})
    assert refused.status == 401

    page.goto(alicia.url("/api/docs/"))
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("OMCS · API")
    expect(page.locator(".swagger-ui .opblock-tag").first).to_be_visible()
    # Swagger UI is a vendored tool's page, not one of ours: what counts here is that it runs
    # with the CSP intact (a refused script or style would be a console error, which fails).
    alicia.unaudited.clear()
