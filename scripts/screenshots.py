"""Regenerate the README's pictures in docs/img/ from the bundled demo: the overview at 1920×1080, a presentation
screen at 1366×768, the first paint (before Streamlit's scripts arrive) and a topic page of the PDF brief (charts and table).

    python scripts/screenshots.py [--year 1403]

Needs Debian's chromium and poppler-utils (scripts/install-system-deps.sh installs both).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from karnama.core import texts  # noqa: E402
from tests.browser import browser, running_app, wait_for_app  # noqa: E402

OUT = ROOT / "docs" / "img"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", default="1403")
    year = parser.parse_args().year
    data = ROOT / "data"
    OUT.mkdir(parents=True, exist_ok=True)
    with running_app(data) as url, browser() as b:
        page = b.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"{url}/overview?year={year}")
        wait_for_app(page, "[data-testid=stMetricValue]")
        page.wait_for_selector(".js-plotly-plot .main-svg")
        page.wait_for_timeout(1500)
        page.screenshot(path=str(OUT / "overview-1920.png"))
        page.close()

        page = b.new_page(viewport={"width": 1366, "height": 768})
        page.goto(f"{url}/present?year={year}")
        wait_for_app(page, "h1")
        page.get_by_role("button", name=texts.PRESENT_NEXT).click()
        page.wait_for_selector(".js-plotly-plot .main-svg")
        wait_for_app(page, "h1")
        page.screenshot(path=str(OUT / "present-1366x768.png"))
        page.close()

        page = b.new_page(viewport={"width": 1366, "height": 768})
        page.route("**/static/js/**", lambda route: route.abort())
        page.goto(f"{url}/overview")
        page.wait_for_selector(".karnama-splash")
        page.wait_for_timeout(500)
        page.screenshot(path=str(OUT / "first-paint-1366x768.png"))
        page.close()

    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "brief.pdf"
        subprocess.run(
            [sys.executable, "-m", "karnama", "export", "--data-dir", str(data), "--format", "pdf"]
            + ["--year", year, "--out", str(pdf)],
            cwd=ROOT,
            check=True,
        )
        prefix = Path(tmp) / "page"
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "4", "-l", "4", str(pdf), str(prefix)], check=True)
        next(Path(tmp).glob("page*.png")).replace(OUT / "pdf-page.png")
    print(f"written: {', '.join(sorted(p.name for p in OUT.glob('*.png')))}")


if __name__ == "__main__":
    main()
