"""Settings: ``<data dir>/settings.toml`` with environment overrides (``KARNAMA_<NAME>``), defaults below.

Example settings.toml::

    open_viewing = true             # read-only viewing without login; off unless set (and off on any problem)
    session_idle_minutes = 30
    login_max_failures = 5          # failed logins per account (x4 per client) before a lockout
    login_lockout_minutes = 15
    upload_max_mb = 20
    boundary_geojson = "/srv/karnama/counties.geojson"   # optional county polygons for the map
    pack_dir = "/srv/share/karnama"                      # the scheduled meeting pack is written here
    smtp_host = "mail.example.org"                       # optional: mail the pack (password: KARNAMA_SMTP_PASSWORD)
    smtp_port = 587
    smtp_security = "starttls"                           # starttls | ssl | none
    smtp_sender = "karnama@example.org"
    smtp_recipients = "deputy@example.org, office@example.org"
    database_url = "postgresql://karnama@db.example/karnama"  # optional; default SQLite <data dir>/karnama.db
"""

from __future__ import annotations

import logging
import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from karnama.core import texts
from karnama.core.paths import default_data_dir

_log = logging.getLogger("karnama.core.settings")
OPEN_VIEWING_REFUSED = texts.SETTINGS_OPEN_VIEWING_REFUSED


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    open_viewing: bool = False  # only an explicit, readable ``true`` opens the dashboard without login
    session_idle_minutes: int = 30
    login_max_failures: int = 5
    login_lockout_minutes: int = 15
    upload_max_mb: int = 20
    boundary_geojson: str | None = None
    pack_dir: str | None = None  # where the scheduled monthly meeting pack is written (a shared folder)
    smtp_host: str | None = None  # the office's mail server; unset = packs are not mailed
    smtp_port: int = 587
    smtp_security: str = "starttls"  # starttls | ssl | none
    smtp_user: str | None = None  # the password comes only from KARNAMA_SMTP_PASSWORD, never from a file
    smtp_sender: str | None = None
    smtp_recipients: str | None = None  # comma-separated addresses
    users_file: str | None = None
    audit_file: str | None = None
    # The state store (accounts, sessions, lockouts, audit log): a PostgreSQL URL, else SQLite in the data dir.
    database_url: str | None = None
    # Behind a reverse proxy every connection comes from the proxy: the header it sets to the real client address
    # (nginx in deploy/ sets X-Real-IP). Unset, the connection's own address is the client.
    client_ip_header: str | None = None
    problems: tuple[str, ...] = ()  # what could not be read (Persian), shown on every page


_CHOICES = {"smtp_security": ("starttls", "ssl", "none")}


class SettingsProblem(ValueError):
    """A setting that could not be read; the message is Persian, for the user."""


def _coerce(name: str, kind: type | str, raw: object, from_env: bool = False):
    """A value (from the file or the environment) as the declared type, or SettingsProblem.

    In the file a switch must be a TOML boolean (``1`` or ``"yes"`` there is a mistake, not a yes)."""
    kind = str(kind)
    if "bool" in kind:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower() if from_env else None
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
        choices = _CHOICES.get(name)
        if choices is None or raw.strip() in choices:
            return (raw.strip() if choices else raw) or None
    raise SettingsProblem(texts.SETTINGS_BAD_VALUE.format(name=name, value=str(raw)[:40]))


DEMO_SETTINGS = """\
# Written by `python -m karnama demo`: this directory holds made-up demo data, so anyone may view it without
# logging in. A directory with real data must not say this (without the line, a login is needed).
open_viewing = true
"""


def write_demo_default(root: Path) -> bool:
    """Give a demo data directory open viewing, explicitly, unless it already has a settings file."""
    file = Path(root) / "settings.toml"
    if file.exists():
        return False
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(DEMO_SETTINGS, encoding="utf-8")
    return True


def load(data_dir: Path | str | None = None) -> Settings:
    """Settings for a data directory: file values, then ``KARNAMA_*`` environment variables on top.

    A malformed file or value never stops the app: it is skipped (defaults apply) and described in ``problems``.
    It fails closed: with any problem, open viewing is off, whatever the file or environment asked."""
    root = Path(data_dir) if data_dir else default_data_dir()
    raw: dict = {}
    problems: list[str] = []
    file = root / "settings.toml"
    unreadable = False
    if file.exists():
        try:
            with open(file, "rb") as handle:
                raw.update(tomllib.load(handle))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
            unreadable = True
            problems.append(texts.SETTINGS_UNREADABLE)
    from_env: set[str] = set()
    for f in fields(Settings):
        env = os.environ.get(f"KARNAMA_{f.name.upper()}")
        if env is not None and f.name not in ("data_dir", "problems"):
            raw[f.name] = env
            from_env.add(f.name)
    values = {}
    for f in fields(Settings):
        if f.name in ("data_dir", "problems") or f.name not in raw:
            continue
        try:
            values[f.name] = _coerce(f.name, f.type, raw[f.name], f.name in from_env)
        except SettingsProblem as exc:
            problems.append(str(exc))
    if problems:
        values.pop("open_viewing", None)
        if unreadable or "open_viewing" in raw:
            problems.append(OPEN_VIEWING_REFUSED)
        for problem in problems:
            _log.warning("settings (%s): %s", file, problem)
    return Settings(data_dir=root, problems=tuple(problems), **values)
