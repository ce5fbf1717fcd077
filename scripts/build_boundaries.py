"""Build the product's county-boundary file from the OpenStreetMap extract in ../shared/geo.

Reads the detailed OSM export (names under ``properties.tags.name`` with a «شهرستان » prefix, no codes), matches
every polygon to a county code of karnama/core/counties.py by its normalised name, simplifies it (shapely,
topology preserved), rounds coordinates and writes ``static/geo/counties.geojson`` with the ODbL attribution.

    python scripts/build_boundaries.py [--source FILE] [--out FILE] [--tolerance DEG]

Needs shapely (requirements-dev.txt); the app itself only reads the written file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from karnama.core.counties import COUNTIES  # noqa: E402
from karnama.core.normalize import name_key  # noqa: E402

SOURCE = ROOT.parent / "shared" / "geo" / "khorasan-razavi-counties.geojson"
OUT = ROOT / "static" / "geo" / "counties.geojson"
ATTRIBUTION = "© مشارکت‌کنندگان OpenStreetMap، ODbL"
ATTRIBUTION_EN = "Data © OpenStreetMap contributors, available under the Open Database License (ODbL 1.0)"


def _round(coords, digits: int):
    """Coordinates rounded to ``digits`` decimals (4 ≈ 10 m: far below what the simplification removes)."""
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(coords[0], digits), round(coords[1], digits)]
    return [_round(c, digits) for c in coords]


def build(source: Path, tolerance: float = 0.002, digits: int = 4) -> dict:
    """The simplified FeatureCollection: one feature per county code (properties code, name_fa, label_lon/lat).

    Raises SystemExit naming unmatched polygons or counties without a polygon, so a changed extract is noticed."""
    data = json.loads(source.read_text(encoding="utf-8"))
    keys = {name_key(c.name_fa): c for c in COUNTIES}
    features, unmatched = [], []
    for f in data["features"]:
        geom = f.get("geometry") or {}
        if geom.get("type") not in ("Polygon", "MultiPolygon"):
            continue  # the extract also holds untagged points
        props = f.get("properties") or {}
        tags = props.get("tags") or {}
        name = tags.get("name") or props.get("name") or ""
        county = keys.get(name_key(name))
        if county is None:
            unmatched.append(name)
            continue
        poly = shape(geom).buffer(0).simplify(tolerance, preserve_topology=True)
        label = poly.representative_point()
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "code": county.code,
                    "name_fa": county.name_fa,
                    "osm_id": props.get("id"),
                    "label_lon": round(label.x, digits),
                    "label_lat": round(label.y, digits),
                },
                "geometry": {"type": poly.geom_type, "coordinates": _round(mapping(poly)["coordinates"], digits)},
            }
        )
    missing = sorted({c.code for c in COUNTIES} - {f["properties"]["code"] for f in features})
    if unmatched or missing:
        raise SystemExit(f"unmatched polygons: {unmatched}; counties without a polygon: {missing}")
    features.sort(key=lambda f: f["properties"]["code"])
    return {
        "type": "FeatureCollection",
        "attribution": ATTRIBUTION,
        "license": ATTRIBUTION_EN,
        "source": "OpenStreetMap admin_level 5 relations via hosseinhabibi2004/iran-geojson (commit 890ff6c); "
        "simplified by scripts/build_boundaries.py",
        "features": features,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--tolerance", type=float, default=0.002, help="simplification tolerance in degrees")
    args = parser.parse_args(argv)
    collection = build(args.source, args.tolerance)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"{args.out}: {len(collection['features'])} counties, {len(text.encode()) // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
