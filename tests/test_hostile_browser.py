"""Hostile text from data and from people, in a real Chromium: centre names imported into a copy of the demo and
a name typed into the login form are shown as the characters they are on every page (and in the admin's audit
view), the browser requests nothing outside the app's address, and no link or image appears that the code did
not put there."""

from __future__ import annotations

import pytest

from karnama.core import texts
from karnama.data.snapshots import SnapshotStore
from karnama.importer.pipeline import Upload, check, publish
from karnama.web import nav
from karnama.web.plain import WORD_JOINER
from tests.auth_helpers import PASSWORDS, secured_copy
from tests.browser import running_app, wait_for_app
from tests.import_helpers import csv_bytes, headers

# 127.0.0.2:9 is on this machine and refuses at once: a leak shows up in the request log, never on the network.
EVIL = "http://127.0.0.2:9"
HOSTILE = [
    f"![x]({EVIL}/x.png)",
    f"[نشست منقضی شد؛ دوباره وارد شوید]({EVIL}/login)",
    f"<img src={EVIL}/i.png>",
    f'مرکز <a href="{EVIL}/a">پیوند</a> :red[سرخ] **پررنگ** $x^2$ www.example.com',
]
LOGIN_NAME = f"![y]({EVIL}/y.png)"
# Every page; dashboard pages wait for their KPI cards, the others for their title.
DASHBOARD = {"overview", "supported_employment", "incentives", "centres_and_loans", "monitoring"}


def hostile_upload() -> list[Upload]:
    """Supported-employment clients of Mashhad in 1402 in centres with hostile names, and licensed-centre rows."""
    se = [headers("se_clients")] + [
        [f"HX{i}", "MSH", name, "1402/01/10", 5, "1402/02/01", "1402/05/01", "physical", "female"]
        for i, name in enumerate(HOSTILE)
    ]
    ce = [headers("centre_employment")] + [[name, "MSH", 1402, 4, 3, 1, 0] for name in HOSTILE]
    return [Upload("se_clients.csv", csv_bytes(se)), Upload("centre_employment.csv", csv_bytes(ce))]


@pytest.fixture(scope="module")
def data_dir(demo_dir, tmp_path_factory):
    root = secured_copy(
        demo_dir, tmp_path_factory.mktemp("hostile") / "data", names=("admin",), settings="open_viewing = true\n"
    )
    store = SnapshotStore(root)
    report = check(hostile_upload(), store)
    assert report.ok, [(p.message, p.value) for p in report.errors]
    publish(report, store, author="test")
    return root


@pytest.fixture(scope="module")
def app_url(data_dir):
    with running_app(data_dir) as url:
        yield url


def watch(page, app_url: str) -> list[str]:
    """Collect every request the page makes outside the app's own address."""
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith((app_url, "data:", "blob:")) else None,
    )
    return outside


def visible(page) -> str:
    """The main area's text as a person reads it (the invisible word joiner that breaks bare addresses dropped)."""
    return page.locator("[data-testid=stMain]").inner_text().replace(WORD_JOINER, "")


def foreign(page, app_url: str) -> list[str]:
    """Links, images, frames and SVG links pointing anywhere but the app (none is in the code)."""
    return page.evaluate(
        """base => {
            const out = [];
            for (const a of document.querySelectorAll('a[href]')) {
                const u = new URL(a.getAttribute('href'), location.href);
                if (u.origin !== base) out.push('a ' + u.href);
            }
            for (const el of document.querySelectorAll('img[src], iframe[src], source[src], video[src]')) {
                const u = new URL(el.getAttribute('src'), location.href);
                if (u.origin !== base && u.protocol !== 'data:' && u.protocol !== 'blob:') out.push('img ' + u.href);
            }
            for (const a of document.querySelectorAll('svg a')) out.push('svg-a ' + a.outerHTML.slice(0, 120));
            return out;
        }""",
        app_url,
    )


@pytest.mark.parametrize("spec", nav.PAGES, ids=[p.url_path for p in nav.PAGES])
def test_hostile_centre_names_render_as_text_on_every_page(app_url, chromium, spec, artifacts):
    page = chromium.new_page(viewport={"width": 1440, "height": 2400})
    outside = watch(page, app_url)
    page.goto(f"{app_url}/{spec.url_path}?year=1402&county=MSH")
    wait_for_app(page, "[data-testid=stMetricValue]" if spec.url_path in DASHBOARD else "h1")
    page.wait_for_timeout(1500)  # let charts draw their labels
    page.screenshot(path=str(artifacts / f"hostile-{spec.url_path}.png"), full_page=True)
    assert page.locator("[data-testid=stException]").count() == 0
    assert foreign(page, app_url) == []
    if spec.url_path == "supported_employment":  # the by-centre table: every name shown as typed
        shown = visible(page)
        for name in HOSTILE[:3]:
            assert name in shown, name
        assert "**پررنگ**" in shown and ":red[سرخ]" in shown
    assert outside == [], f"fetched from outside: {outside}"
    page.close()


def sign_in(page, name: str, password: str) -> None:
    page.wait_for_selector("input[type=password]", timeout=30000)
    page.get_by_label(texts.LOGIN_NAME).fill(name)
    page.get_by_label(texts.LOGIN_PASSWORD, exact=True).fill(password)
    page.get_by_test_id("stBaseButton-primaryFormSubmit").click()


def test_login_name_and_uploaded_cells_are_plain_text_for_the_admin(app_url, chromium, artifacts):
    """A name typed at login (by someone not signed in) never reaches the audit view (it is no account: the log says
    «نامعلوم», issue 13); bad cells in the import report are plain text."""
    page = chromium.new_page(viewport={"width": 1440, "height": 2400})
    outside = watch(page, app_url)
    page.goto(f"{app_url}/data")
    page.get_by_role("button", name=texts.LOGIN_BUTTON).first.click()
    sign_in(page, LOGIN_NAME, "Wrong-password-1")
    page.wait_for_selector("[data-testid=stAlertContentError]", timeout=30000)
    sign_in(page, "admin", PASSWORDS["admin"])
    page.get_by_role("tab", name=texts.AUDIT_TAB).wait_for(timeout=60000)

    bad = csv_bytes(
        [headers("loans")] + [[f"P{i}", name, "1402/05/01", 10, 1, "ایجاد"] for i, name in enumerate(HOSTILE)]
    )
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "loans.csv", "mimeType": "text/csv", "buffer": bad}]
    )
    page.get_by_text(texts.DATA_PROBLEMS_TITLE).wait_for(timeout=60000)
    wait_for_app(page, "h1")
    page.screenshot(path=str(artifacts / "hostile-import-report.png"), full_page=True)
    report = visible(page)
    for name in HOSTILE[:3]:
        assert name in report, name
    assert foreign(page, app_url) == []

    page.get_by_role("tab", name=texts.AUDIT_TAB).click()
    page.get_by_text(texts.AUDIT_UNKNOWN_ACCOUNT, exact=True).first.wait_for(timeout=30000)
    wait_for_app(page, "h1")
    page.screenshot(path=str(artifacts / "hostile-audit.png"), full_page=True)
    assert LOGIN_NAME not in visible(page) and EVIL not in visible(page)
    assert foreign(page, app_url) == []
    assert outside == [], f"fetched from outside: {outside}"
    page.close()
