"""Shared by the access-control tests: a cheap argon2id hasher and a demo data directory with accounts."""

from __future__ import annotations

import shutil
from pathlib import Path

from argon2 import PasswordHasher

from karnama.access import auth
from karnama.core.settings import load

# argon2id with small costs so the suite stays quick; the app uses argon2-cffi's defaults (and verifies these).
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORDS = {"admin": "Admin-password-1", "ney": "Neyshabur-pass-2", "prov": "Province-pass-3"}
ROLES = {"admin": (auth.ADMIN, ()), "ney": (auth.COUNTY, ("NEY", "تربت حیدریه")), "prov": (auth.PROVINCE, ())}


def secured_copy(demo_dir: Path, dest: Path, names=("admin", "ney", "prov"), settings: str | None = None) -> Path:
    """``dest`` holding the demo snapshot, the named accounts (see ROLES, PASSWORDS) and an optional settings.toml."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(demo_dir / "snapshots", dest / "snapshots")
    shutil.copy(demo_dir / "ACTIVE", dest / "ACTIVE")
    if settings is not None:
        (dest / "settings.toml").write_text(settings, encoding="utf-8")
    store = auth.AccountStore(load(dest), hasher=FAST)
    for name in names:
        role, counties = ROLES[name]
        store.add(name, role, counties, PASSWORDS[name])
    return dest
