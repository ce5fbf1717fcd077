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


def test_get_or_make_makes_once_and_keeps_the_first_value():
    cache: BoundedCache[list] = BoundedCache(4)
    made = []

    def make():
        made.append(1)
        return ["v", len(made)]

    first = cache.get_or_make("k", make)
    assert cache.get_or_make("k", make) is first and made == [1]
    cache.put("j", ["kept"])
    assert cache.get_or_make("j", make) == ["kept"] and made == [1]  # a value kept meanwhile wins
