"""Presentation mode: one KPI topic per screen in large type for the current filters, no sidebar or widgets."""

from karnama import export_ui, ui

view = ui.bare_view()
export_ui.present(view)
