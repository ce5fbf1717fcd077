"""Presentation mode: one KPI topic per screen in large type for the current filters, no sidebar or widgets."""

from karnama.web import frame, present

view = frame.bare_view()
present.present(view)
