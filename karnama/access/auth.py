"""Accounts, roles and logins: an argon2id-hashed account file, county scopes, brute-force limits, sessions.

Nothing here imports Streamlit: the login page (auth_ui), the CLI (cli_users) and the tests share it.

* The account file (``<data dir>/users.json`` or ``users_file`` from the settings) holds, per account, its role,
  its counties and an argon2id hash. The hash is of the account name and the password together, so a hash
  copied onto another account does not verify there.
* :class:`RateLimiter` counts failed logins per account name (whether or not the account exists, so a lockout
  says nothing about existence) and per client; a locked name or client is refused before any password check.
* :class:`Sessions` maps random tokens to account names on the server; the browser never holds more than the
  token, and a session ends after an idle time, a logout, a password change or the account's removal.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from karnama.access import audit
from karnama.core import fa, texts
from karnama.core.counties import COUNTIES
from karnama.core.normalize import name_key
from karnama.core.settings import Settings

ADMIN, PROVINCE, COUNTY = "admin", "province", "county"
ROLES: tuple[str, ...] = (ADMIN, PROVINCE, COUNTY)
ROLE_LABELS = {ADMIN: texts.ROLE_ADMIN, PROVINCE: texts.ROLE_PROVINCE, COUNTY: texts.ROLE_COUNTY}

_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
MIN_PASSWORD = 10
MAX_PASSWORD = 1024  # argon2 hashes any length; the cap keeps a hostile form post from costing much
FILE_VERSION = 1


class AuthError(ValueError):
    """A mistake in managing accounts (bad name, role, county, password); the message is Persian."""


def _utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def normalise_name(raw: object) -> str:
    """An account name as stored and compared: trimmed, lower case (``Ali`` and ``ali `` are one account)."""
    return str(raw or "").strip().lower()[:256]


def check_name(name: str) -> str:
    """The normalised name, or AuthError: 1–64 Latin letters, digits, ``.``, ``_``, ``-``, starting alphanumeric."""
    name = normalise_name(name)
    if not _NAME.fullmatch(name):
        raise AuthError(texts.AUTH_BAD_NAME)
    return name


def check_password(password: str) -> str:
    """The password, or AuthError if it is too short, too long or has no visible character."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD or not password.strip():
        raise AuthError(texts.AUTH_SHORT_PASSWORD.format(n=MIN_PASSWORD))
    if len(password) > MAX_PASSWORD:
        raise AuthError(texts.AUTH_LONG_PASSWORD.format(n=MAX_PASSWORD))
    return password


def resolve_counties(values: Iterable[str]) -> tuple[str, ...]:
    """County codes for codes or names in any common spelling (``NEY``, ``نیشابور``, ``Neyshabur``), in order,
    without repeats; AuthError naming the first unknown one."""
    codes: list[str] = []
    for raw in values:
        key = name_key(raw)
        match = next(
            (c.code for c in COUNTIES if key and key in (c.code.lower(), name_key(c.name_fa), name_key(c.name_en))),
            None,
        )
        if match is None:
            raise AuthError(texts.AUTH_UNKNOWN_COUNTY.format(value=str(raw)[:64]))
        if match not in codes:
            codes.append(match)
    return tuple(codes)


@dataclass(frozen=True)
class Account:
    """One account. ``scope`` is what the query layer narrows every query to (None = every county)."""

    name: str
    role: str
    counties: tuple[str, ...] = ()
    password_hash: str = field(default="", repr=False)
    created_utc: str = ""
    password_changed_utc: str = ""

    @property
    def scope(self) -> frozenset[str] | None:
        # A county account with an emptied county list sees nothing rather than everything.
        return frozenset(self.counties) if self.role == COUNTY else None

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    def public(self) -> dict:
        """The account without its hash (for listings and JSON output)."""
        return {
            "name": self.name,
            "role": self.role,
            "counties": list(self.counties),
            "created_utc": self.created_utc,
            "password_changed_utc": self.password_changed_utc,
        }


def default_hasher() -> PasswordHasher:
    """argon2id with argon2-cffi's defaults (RFC 9106 low-memory profile: t=3, m=64 MiB, p=4)."""
    return PasswordHasher()


def _secret(name: str, password: str) -> str:
    # Binding the name makes a hash copied from another account useless here.
    return f"karnama-v1\x00{name}\x00{password}"


def users_path(settings: Settings) -> Path:
    """Where the account file lives: ``users_file`` (relative to the data dir) or ``<data dir>/users.json``."""
    if settings.users_file:
        path = Path(settings.users_file).expanduser()
        return path if path.is_absolute() else settings.data_dir / path
    return settings.data_dir / "users.json"


class AccountStore:
    """The account file: read on every lookup (cheap, so edits from the CLI apply at once), written atomically
    with owner-only permissions under an exclusive lock."""

    def __init__(self, path: Path | str, hasher: PasswordHasher | None = None) -> None:
        self.path = Path(path)
        self.hasher = hasher or default_hasher()
        self._dummy_hash: str | None = None

    # ---- reading ---------------------------------------------------------------------------------------
    def _read(self) -> dict[str, dict]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise AuthError(texts.AUTH_FILE_UNREADABLE.format(path=self.path)) from exc
        accounts = raw.get("accounts") if isinstance(raw, dict) else None
        if not isinstance(accounts, dict):
            raise AuthError(texts.AUTH_FILE_UNREADABLE.format(path=self.path))
        return accounts

    @staticmethod
    def _account(name: str, rec: dict) -> Account | None:
        if not isinstance(rec, dict) or rec.get("role") not in ROLES or not isinstance(rec.get("hash"), str):
            return None
        counties = rec.get("counties") or []
        if not isinstance(counties, list) or not all(isinstance(c, str) for c in counties):
            counties = []
        return Account(
            name,
            rec["role"],
            tuple(counties),
            rec["hash"],
            str(rec.get("created_utc", "")),
            str(rec.get("password_changed_utc", "")),
        )

    def list(self) -> list[Account]:
        """Every well-formed account, by name."""
        out = [self._account(n, r) for n, r in sorted(self._read().items())]
        return [a for a in out if a is not None]

    def get(self, name: str) -> Account | None:
        """The account of that name (any case), or None."""
        name = normalise_name(name)
        rec = self._read().get(name)
        return None if rec is None else self._account(name, rec)

    def exists(self) -> bool:
        return self.path.is_file()

    # ---- writing ---------------------------------------------------------------------------------------
    @contextmanager
    def _editing(self) -> Iterator[dict[str, dict]]:
        """Read-modify-write under an exclusive lock; the new file replaces the old in one rename."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(f".{self.path.name}.lock")
        fd = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            accounts = self._read()
            yield accounts
            data = json.dumps({"version": FILE_VERSION, "accounts": accounts}, ensure_ascii=False, indent=2)
            tmp = self.path.with_name(f".{self.path.name}.{secrets.token_hex(6)}.tmp")
            tfd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            try:
                os.write(tfd, data.encode("utf-8"))
                os.fsync(tfd)
            finally:
                os.close(tfd)
            os.replace(tmp, self.path)
            dfd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def hash(self, name: str, password: str) -> str:
        return self.hasher.hash(_secret(name, password))

    def add(self, name: str, role: str, counties: Iterable[str] = (), password: str = "") -> Account:
        """Create an account; counties (codes or names) only, and at least one, for the county role."""
        name = check_name(name)
        if role not in ROLES:
            raise AuthError(texts.AUTH_BAD_ROLE.format(role=str(role)[:32], roles="، ".join(ROLES)))
        codes = resolve_counties(counties)
        if role == COUNTY and not codes:
            raise AuthError(texts.AUTH_COUNTY_NEEDS_COUNTIES)
        if role != COUNTY and codes:
            raise AuthError(texts.AUTH_COUNTIES_ONLY_FOR_COUNTY)
        digest = self.hash(name, check_password(password))
        now = _utc_now()
        with self._editing() as accounts:
            if name in accounts:
                raise AuthError(texts.AUTH_EXISTS.format(name=name))
            accounts[name] = {
                "role": role,
                "counties": list(codes),
                "hash": digest,
                "created_utc": now,
                "password_changed_utc": now,
            }
        return self._account(name, accounts[name])  # type: ignore[return-value]

    def remove(self, name: str) -> None:
        name = normalise_name(name)
        with self._editing() as accounts:
            if name not in accounts:
                raise AuthError(texts.AUTH_NO_SUCH_ACCOUNT.format(name=name[:64]))
            admins = [n for n, r in accounts.items() if isinstance(r, dict) and r.get("role") == ADMIN]
            if admins == [name]:  # nobody could publish, roll back or manage accounts any more
                raise AuthError(texts.AUTH_LAST_ADMIN)
            del accounts[name]

    def set_password(self, name: str, password: str) -> None:
        """Replace an account's password; its open sessions end (they started before the change)."""
        name = normalise_name(name)
        digest = self.hash(name, check_password(password))
        with self._editing() as accounts:
            if name not in accounts:
                raise AuthError(texts.AUTH_NO_SUCH_ACCOUNT.format(name=name[:64]))
            accounts[name]["hash"] = digest
            accounts[name]["password_changed_utc"] = _utc_now()

    # ---- checking --------------------------------------------------------------------------------------
    def _burn(self, password: str) -> None:
        """Spend the time of one verification, so an unknown name answers as slowly as a wrong password."""
        if self._dummy_hash is None:
            self._dummy_hash = self.hasher.hash(secrets.token_hex(16))
        try:
            self.hasher.verify(self._dummy_hash, _secret("\x00", password))
        except (VerificationError, InvalidHashError):
            pass

    def authenticate(self, name: str, password: str) -> Account | None:
        """The account if the password is right, else None (same answer for an unknown name)."""
        name = normalise_name(name)
        password = password if isinstance(password, str) else ""
        try:
            account = self.get(name) if _NAME.fullmatch(name) else None
        except AuthError:
            account = None
        if account is None or len(password) > MAX_PASSWORD:
            self._burn(password[:MAX_PASSWORD])
            return None
        try:
            self.hasher.verify(account.password_hash, _secret(name, password))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if self.hasher.check_needs_rehash(account.password_hash):
            try:
                with self._editing() as accounts:
                    if name in accounts and accounts[name].get("hash") == account.password_hash:
                        accounts[name]["hash"] = self.hash(name, password)
            except OSError:
                pass  # an upgrade of the hash can wait for the next login
        return account


# ---- brute force -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Limit:
    """At most ``failures`` failed logins within ``window`` seconds, then refused for ``lockout`` seconds."""

    failures: int
    window: float
    lockout: float


class RateLimiter:
    """Failed-login counters per account name and per client, in this process (a restart clears them)."""

    MAX_KEYS = 50_000  # a spray of made-up names cannot grow memory without bound

    def __init__(self, per_account: Limit, per_client: Limit, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = {"account": per_account, "client": per_client}
        self.clock = clock
        self._fails: dict[tuple[str, str], deque[float]] = {}
        self._locked: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, clock: Callable[[], float] = time.monotonic) -> RateLimiter:
        n = max(1, int(settings.login_max_failures))
        lockout = max(1, int(settings.login_lockout_minutes)) * 60.0
        return cls(Limit(n, lockout, lockout), Limit(4 * n, lockout, lockout), clock)

    def retry_after(self, account: str, client: str) -> float:
        """Seconds until a login for this name from this client may be tried (0 = now)."""
        now = self.clock()
        with self._lock:
            waits = [self._locked.get(k, 0.0) - now for k in (("account", account), ("client", client))]
        return max(0.0, *waits)

    def failure(self, account: str, client: str) -> None:
        now = self.clock()
        with self._lock:
            if len(self._fails) > self.MAX_KEYS:
                self._prune(now)
            for kind, key in (("account", account), ("client", client)):
                limit = self.limits[kind]
                fails = self._fails.setdefault((kind, key), deque())
                fails.append(now)
                while fails and fails[0] <= now - limit.window:
                    fails.popleft()
                if len(fails) >= limit.failures:
                    self._locked[(kind, key)] = now + limit.lockout
                    fails.clear()

    def success(self, account: str) -> None:
        """A right password clears the name's count (not the client's: one good account must not reset it)."""
        with self._lock:
            self._fails.pop(("account", account), None)

    def _prune(self, now: float) -> None:
        longest = max(limit.window for limit in self.limits.values())
        for key in [k for k, q in self._fails.items() if not q or q[-1] <= now - longest]:
            del self._fails[key]
        for key in [k for k, until in self._locked.items() if until <= now]:
            del self._locked[key]


# ---- sessions --------------------------------------------------------------------------------------------
@dataclass
class Session:
    name: str
    started: float  # wall clock (compared with the account's password change)
    last_seen: float


class Sessions:
    """Server-side sessions: a random token (the only thing a browser session holds) → account and last use."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self._by_token: dict[str, Session] = {}
        self._lock = threading.Lock()

    def create(self, name: str) -> str:
        token = secrets.token_urlsafe(32)
        now = self.clock()
        with self._lock:
            self._by_token[token] = Session(name, now, now)
        return token

    def check(self, token: object, idle_seconds: float) -> tuple[str | None, str]:
        """(name, "ok") and the idle clock restarted; or (name, "expired") once idle too long (the session
        ends); or (None, "none") for anything that is not a live token."""
        if not isinstance(token, str):
            return None, "none"
        now = self.clock()
        with self._lock:
            session = self._by_token.get(token)
            if session is None:
                return None, "none"
            if now - session.last_seen > idle_seconds:
                del self._by_token[token]
                return session.name, "expired"
            session.last_seen = now
            return session.name, "ok"

    def started(self, token: str) -> float | None:
        with self._lock:
            s = self._by_token.get(token)
            return s.started if s else None

    def end(self, token: object) -> None:
        with self._lock:
            if isinstance(token, str):
                self._by_token.pop(token, None)


# ---- logging in ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LoginResult:
    account: Account | None
    message: str = ""  # Persian, for the login form
    retry_after: float = 0.0


class Authenticator:
    """The login decision: rate limits first, then the password, each attempt written to the audit log."""

    def __init__(
        self, settings: Settings, store: AccountStore | None = None, limiter: RateLimiter | None = None
    ) -> None:
        self.settings = settings
        self.store = store or AccountStore(users_path(settings))
        self.limiter = limiter or RateLimiter.from_settings(settings)

    def login(self, name: str, password: str, client: str | None) -> LoginResult:
        key = normalise_name(name)[:64]
        client = (client or "local")[:64]
        wait = self.limiter.retry_after(key, client)
        if wait > 0:
            self._audit_failure(key, client, "rate_limited")
            minutes = max(1, int(-(-wait // 60)))
            return LoginResult(None, texts.LOGIN_RATE_LIMITED.format(minutes=fa.num(minutes)), wait)
        try:
            account = self.store.authenticate(key, password)
        except AuthError as exc:  # an unreadable account file: nobody logs in, and the admin is told why
            self._audit_failure(key, client, "account_file")
            return LoginResult(None, str(exc))
        if account is None:
            self.limiter.failure(key, client)
            self._audit_failure(key, client, "bad_credentials")
            return LoginResult(None, texts.LOGIN_FAILED)
        try:
            audit.record("login_success", account.name, settings=self.settings, client=client, role=account.role)
        except audit.AuditError as exc:  # fail closed: a login that cannot be recorded does not happen
            return LoginResult(None, str(exc))
        self.limiter.success(key)
        return LoginResult(account)

    def _audit_failure(self, name: str, client: str, reason: str) -> None:
        # The attempt fails anyway; an unwritable log must not turn a refusal into a crash.
        audit.try_record("login_failure", name or "?", settings=self.settings, client=client, reason=reason)
