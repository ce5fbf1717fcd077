"""The app's pages, defined once: app.py registers them with st.navigation, the sidebar links to them."""

from __future__ import annotations

from dataclasses import dataclass

from . import texts


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to the project root
    title: str
    icon: str
    url_path: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", texts.PAGE_OVERVIEW, ":material/dashboard:", "overview"),
)
