"""Access control in headless Chromium against a real server: the Persian login page, a county account with a
URL naming other counties, its downloads (table CSV, Excel workbook), logout, and an admin's "view as"."""

from __future__ import annotations

import io
import json
import re

import pytest
from openpyxl import load_workbook

from karnama.access import audit
from karnama.core import texts
from karnama.core.counties import COUNTIES
from karnama.core.settings import load
from tests.auth_helpers import PASSWORDS, secured_copy
from tests.browser import running_app, wait_for_app

SCOPE = {"NEY", "TRH"}
OTHERS = [c.name_fa for c in COUNTIES if c.code not in SCOPE]


def names_in(text: str) -> set[str]:
    text = text.replace("\u200c", " ")
    return {
        n
        for n in OTHERS
        if re.search(r"(?<![\u0600-\u06FF])" + re.escape(n.replace("\u200c", " ")) + r"(?![\u0600-\u06FF])", text)
    }


@pytest.fixture(scope="module")
def data_dir(demo_dir, tmp_path_factory):
    return secured_copy(
        demo_dir,
        tmp_path_factory.mktemp("auth-browser") / "data",
        names=("admin", "ney"),
        settings="open_viewing = false\n",
    )


@pytest.fixture(scope="module")
def app_url(data_dir):
    with running_app(data_dir) as url:
        yield url


def sign_in(page, name: str, password: str) -> None:
    page.wait_for_selector("input[type=password]", timeout=30000)
    page.get_by_label(texts.LOGIN_NAME).fill(name)
    page.get_by_label(texts.LOGIN_PASSWORD, exact=True).fill(password)  # exact: the toggle is «نمایش گذرواژه»
    page.get_by_role("button", name=texts.LOGIN_SUBMIT).click()


def test_login_page_then_county_view_with_hostile_url(app_url, chromium, data_dir, artifacts):
    page = chromium.new_page(viewport={"width": 1440, "height": 1600}, accept_downloads=True)
    page.goto(f"{app_url}/overview?year=1402&county=MSH,SBZ")
    page.wait_for_selector("input[type=password]", timeout=30000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts / "auth-login.png"))
    main = page.locator("[data-testid=stMain]")
    assert main.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert page.locator("h1").first.inner_text().strip() == texts.LOGIN_TITLE
    assert page.locator("[data-testid=stMetricValue]").count() == 0

    sign_in(page, "ney", "Wrong-password-1")
    page.wait_for_selector("[data-testid=stAlertContentError]", timeout=30000)
    assert texts.LOGIN_FAILED in page.locator("[data-testid=stAlertContentError]").inner_text()

    sign_in(page, "ney", PASSWORDS["ney"])
    wait_for_app(page)
    page.screenshot(path=str(artifacts / "auth-county-overview.png"), full_page=True)
    shown = main.inner_text() + page.locator("[data-testid=stSidebar]").inner_text()
    assert texts.SCOPE_SUM in shown and "نیشابور" in shown
    assert not names_in(shown), names_in(shown)
    assert "county=" not in page.url  # the URL no longer names counties the account cannot see

    # the ranking table's CSV download holds only the account's counties, and is in the audit log
    with page.expect_download(timeout=30000) as dl:
        page.get_by_role("button", name=texts.DOWNLOAD_CSV).first.click()
    csv_text = open(dl.value.path(), encoding="utf-8-sig").read()
    assert "نیشابور" in csv_text and not names_in(csv_text)

    # the sidebar's Excel workbook of the view
    with page.expect_download(timeout=60000) as dl:
        page.get_by_role("button", name=texts.EXPORT_XLSX).click()
    wb = load_workbook(io.BytesIO(open(dl.value.path(), "rb").read()))
    cells = "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert "نیشابور" in cells and not names_in(cells)

    exports = [e for e in audit.read(load(data_dir)) if e["event"] == "export" and e["account"] == "ney"]
    assert {e["details"]["format"] for e in exports} >= {"csv", "xlsx"}
    assert all(e["details"]["scope"] == sorted(SCOPE) for e in exports)

    page.get_by_role("button", name=texts.LOGOUT).click()
    page.wait_for_selector("input[type=password]", timeout=30000)
    page.close()


def test_admin_views_as_the_county_account(app_url, chromium, artifacts):
    page = chromium.new_page(viewport={"width": 1440, "height": 1400})
    page.goto(f"{app_url}/incentives?year=1402")
    sign_in(page, "admin", PASSWORDS["admin"])
    wait_for_app(page)
    # The county names are drawn by the charts, which may finish after the script run: wait for them.
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stMain]').innerText.includes('مشهد')", timeout=30000
    )
    box = page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]").filter(has_text=texts.VIEW_AS)
    box.click()
    page.get_by_role("option", name=re.compile("^ney")).click()
    page.wait_for_timeout(500)
    wait_for_app(page)
    page.screenshot(path=str(artifacts / "auth-view-as.png"), full_page=True)
    main = page.locator("[data-testid=stMain]").inner_text()
    assert texts.SCOPE_SUM in main and not names_in(main)
    assert texts.VIEW_AS_ACTIVE.format(name="ney") in page.locator("[data-testid=stSidebar]").inner_text()
    page.close()


def test_no_session_survives_in_the_browser_only(app_url, chromium):
    """Nothing in the page or its storage is a credential: a new tab (a new session) must log in again."""
    context = chromium.new_context()
    page = context.new_page()
    page.goto(f"{app_url}/overview")
    sign_in(page, "ney", PASSWORDS["ney"])
    wait_for_app(page)
    storage = page.evaluate("() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])")
    assert PASSWORDS["ney"] not in storage and PASSWORDS["ney"] not in json.dumps(context.cookies())
    second = context.new_page()
    second.goto(f"{app_url}/overview")
    second.wait_for_selector("input[type=password]", timeout=30000)
    assert second.locator("[data-testid=stMetricValue]").count() == 0
    context.close()
