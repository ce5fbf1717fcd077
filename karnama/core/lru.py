"""One small thread-safe least-recently-used map, for the per-process caches of pure results (figures, KPI values,
county status): bounded by its number of entries and, optionally, by the total weight of its values."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class BoundedCache(Generic[V]):
    """Least recently used out first, once there are more than ``entries`` values or their weights (``weight``,
    e.g. a size in bytes) add up to more than ``max_weight``."""

    def __init__(
        self, entries: int, max_weight: float = float("inf"), weight: Callable[[V], float] = lambda _v: 0
    ) -> None:
        self.entries, self.max_weight, self._weight = entries, max_weight, weight
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._total = 0.0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        """The value kept for ``key`` (now the most recently used), or None."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> V:
        """Keep ``value`` for ``key`` unless another thread got there first; returns the value kept."""
        with self._lock:
            kept = self._items.get(key)
            if kept is not None:
                return kept
            self._items[key] = value
            self._total += self._weight(value)
            while self._items and (len(self._items) > self.entries or self._total > self.max_weight):
                self._total -= self._weight(self._items.popitem(last=False)[1])
            return value

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value kept for ``key``; else ``make()`` kept and returned (made outside the lock, so a slow make
        never holds up other keys; if two threads make it at once, the first one kept wins)."""
        value = self.get(key)
        return value if value is not None else self.put(key, make())

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._total = 0.0

    def __len__(self) -> int:
        return len(self._items)
