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
    problems: tuple[str, ...] = ()  # what could not be read (Persian), shown on every page


class SettingsProblem(ValueError):
    """A setting that could not be read; the message is Persian, for the user."""


def _coerce(name: str, kind: type | str, raw: object):
    """A value (from the file or the environment) as the declared type, or SettingsProblem."""
    kind = str(kind)
    if "bool" in kind:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off", ""):
            return False
    elif "int" in kind:
        try:
            value = int(str(raw).strip()) if not isinstance(raw, bool) else None
        except ValueError:
            value = None
        if value is not None and value > 0:
            return value
    elif isinstance(raw, str):
        return raw or None
    raise SettingsProblem(f"مقدار تنظیم «{name}» ({str(raw)[:40]}) معتبر نیست؛ مقدار پیش‌فرض به کار رفت.")


def load(data_dir: Path | str | None = None) -> Settings:
    """Settings for a data directory: file values, then ``KARNAMA_*`` environment variables on top.

    A malformed file or value never stops the app: it is skipped (defaults apply) and described in ``problems``."""
    root = Path(data_dir) if data_dir else default_data_dir()
    raw: dict = {}
    problems: list[str] = []
    file = root / "settings.toml"
    if file.is_file():
        try:
            with open(file, "rb") as f:
                raw.update(tomllib.load(f))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
            problems.append(f"پروندهٔ تنظیمات ({file}) خوانا نیست؛ تنظیمات پیش‌فرض به کار رفت.")
    for f in fields(Settings):
        env = os.environ.get(f"KARNAMA_{f.name.upper()}")
        if env is not None and f.name not in ("data_dir", "problems"):
            raw[f.name] = env
    values = {}
    for f in fields(Settings):
        if f.name in ("data_dir", "problems") or f.name not in raw:
            continue
        try:
            values[f.name] = _coerce(f.name, f.type, raw[f.name])
        except SettingsProblem as exc:
            problems.append(str(exc))
    return Settings(data_dir=root, problems=tuple(problems), **values)
