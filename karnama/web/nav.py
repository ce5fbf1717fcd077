"""The app's pages, defined once: app.py registers them with st.navigation, the sidebar links to them."""

from __future__ import annotations

from dataclasses import dataclass

from karnama.core import texts


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to the project root
    title: str
    icon: str
    url_path: str  # the file's stem: Streamlit's legacy pages/ mode (first run of a server) uses it too


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", texts.PAGE_OVERVIEW, ":material/dashboard:", "overview"),
    PageSpec("pages/supported_employment.py", texts.PAGE_SE, ":material/accessible:", "supported_employment"),
    PageSpec("pages/incentives.py", texts.PAGE_INCENTIVES, ":material/health_and_safety:", "incentives"),
    PageSpec("pages/centres_and_loans.py", texts.PAGE_CENTRES_LOANS, ":material/storefront:", "centres_and_loans"),
    PageSpec("pages/monitoring.py", texts.PAGE_MONITORING, ":material/fact_check:", "monitoring"),
    PageSpec("pages/present.py", texts.PAGE_PRESENT, ":material/slideshow:", "present"),
    PageSpec("pages/data.py", texts.PAGE_DATA, ":material/upload_file:", "data"),
)
