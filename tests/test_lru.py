"""The one bounded least-recently-used map behind the figure, KPI-value and county-status caches."""

from karnama.core.lru import BoundedCache


def test_least_recently_used_goes_first_when_over_the_count():
    cache: BoundedCache[str] = BoundedCache(2)
    cache.put("a", "A")
    cache.put("b", "B")
    assert cache.get("a") == "A"  # now the most recent
    cache.put("c", "C")
    assert cache.get("b") is None and cache.get("a") == "A" and cache.get("c") == "C" and len(cache) == 2


def test_weight_bound_and_first_value_kept():
    cache: BoundedCache[bytes] = BoundedCache(10, max_weight=5, weight=len)
    cache.put("x", b"abc")
    assert cache.put("x", b"zz") == b"abc"  # another thread got there first: its value stays
    cache.put("y", b"def")  # 6 bytes in all: the oldest goes
    assert cache.get("x") is None and cache.get("y") == b"def"
    cache.put("big", b"123456")  # heavier than the bound on its own: nothing is kept
    assert len(cache) == 0
    cache.put("z", b"1")
    cache.clear()
    assert cache.get("z") is None and len(cache) == 0
