"""The product's colours, defined once: plotly (web), matplotlib (PDF) and the deck read them from here."""

from __future__ import annotations

# Series colours in order: the first series of every chart is teal, the second orange, and so on.
PALETTE = ("#0f6e7a", "#e38b29", "#6c5fa7", "#2f9e44", "#c92a2a", "#868e96")
