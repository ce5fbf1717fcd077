"""Settings: ``<data dir>/settings.toml`` with environment overrides (``KARNAMA_<NAME>``), defaults below.

Example settings.toml::

    open_viewing = false            # read-only viewing without login; unset = only while the demo is active
    session_idle_minutes = 30
    login_max_failures = 5          # failed logins per account (x4 per client) before a lockout
    login_lockout_minutes = 15
    upload_max_mb = 20
    boundary_geojson = "/srv/karnama/counties.geojson"   # optional county polygons for the map
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from .snapshots import default_data_dir


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    open_viewing: bool | None = None  # None: open only while the active snapshot is the demo
    session_idle_minutes: int = 30
    login_max_failures: int = 5
    login_lockout_minutes: int = 15
    upload_max_mb: int = 20
    boundary_geojson: str | None = None
    users_file: str | None = None
    audit_file: str | None = None


def _coerce(kind: type | str, raw: str):
    kind = str(kind)
    if "bool" in kind:
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if "int" in kind:
        return int(raw)
    return raw or None


def load(data_dir: Path | str | None = None) -> Settings:
    """Settings for a data directory: file values, then ``KARNAMA_*`` environment variables on top."""
    root = Path(data_dir) if data_dir else default_data_dir()
    values: dict = {}
    file = root / "settings.toml"
    if file.is_file():
        with open(file, "rb") as f:
            values.update(tomllib.load(f))
    for f in fields(Settings):
        if f.name == "data_dir":
            continue
        env = os.environ.get(f"KARNAMA_{f.name.upper()}")
        if env is not None:
            values[f.name] = _coerce(f.type, env)
    known = {f.name for f in fields(Settings)}
    return Settings(data_dir=root, **{k: v for k, v in values.items() if k in known and k != "data_dir"})
