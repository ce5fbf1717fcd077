"""Accounts, roles and logins: argon2id-hashed accounts, county scopes, brute-force limits, sessions.

Nothing here imports Streamlit: the login gate (web/gate.py), the CLI (cli/users.py) and the tests share it. All
state lives in the state store (:mod:`karnama.access.store`, SQLite or PostgreSQL), never in process memory, so
it survives a restart, is shared by every app process and no client message can reset it.

* ``accounts`` holds, per account, its role, its counties and an argon2id hash of the account name and the
  password together, so a hash copied onto another account does not verify there.
* :class:`RateLimiter` counts failed logins per account name (whether or not the account exists, so a lockout
  says nothing about existence) and per client; a locked name or client is refused before any password check.
* :class:`Sessions` maps random tokens (stored only as their SHA-256) to account names; the browser never holds
  more than the token, and a session ends after an idle time, a logout, a password change or the account's
  removal, in every process at once.
* :func:`login_service` is the one :class:`Authenticator` per store and process: its dummy hash (spent on unknown
  names) is made once, so an unknown name costs what a wrong password costs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import random
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from karnama.access import audit, legacy
from karnama.access import registry as stores
from karnama.access import store as db
from karnama.core import fa, texts
from karnama.core.counties import COUNTIES
from karnama.core.normalize import name_key
from karnama.core.settings import Settings

_log = logging.getLogger("karnama.access.auth")
ADMIN, PROVINCE, COUNTY = "admin", "province", "county"
ROLES: tuple[str, ...] = db.ROLES  # (ADMIN, PROVINCE, COUNTY)
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


COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent / "common_passwords.txt"
_TRAILING = "0123456789!@#$%^&*()-_=+.,;:?~ "


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The bundled list of common passwords and base words (lower case), one a line; ``#`` starts a comment."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip().casefold() for x in lines if x.strip() and not x.startswith("#"))


def check_password(password: str, name: str | None = None) -> str:
    """The password, or AuthError: at least 10 characters, at most 1024, not the account name (or the name with a
    few characters added), not in the bundled common-password list (also after dropping trailing digits and
    symbols: ``Password2024!``), not one or two characters repeated (``aaaaaaaaaa``)."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD or not password.strip():
        raise AuthError(texts.AUTH_SHORT_PASSWORD.format(n=MIN_PASSWORD))
    if len(password) > MAX_PASSWORD:
        raise AuthError(texts.AUTH_LONG_PASSWORD.format(n=MAX_PASSWORD))
    folded = password.casefold().strip()
    if name:
        key = normalise_name(name)
        if folded == key or (key and key in folded and len(folded) - len(key) < MIN_PASSWORD // 2):
            raise AuthError(texts.AUTH_NAME_PASSWORD)
    common = common_passwords()
    if folded in common or folded.rstrip(_TRAILING) in common or len(set(folded)) <= 2:
        raise AuthError(texts.AUTH_COMMON_PASSWORD)
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


# An unknown name is verified against a hash with the hasher's own parameters, so it costs what a known name
# costs. This one, for the default parameters, is of 32 random bytes that were thrown away: nothing verifies
# against it, and a process need not spend a 64 MiB argon2 hash (0.14-0.24 s of a core) making its own at start.
DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$rbzBWVn6LqGsqSpL3ExrdA$NPea7d48uZaDnRz/NzyVhs5mHn+gA+mi39cMWlA6sFY"


def _secret(name: str, password: str) -> str:
    # Binding the name makes a hash copied from another account useless here.
    return f"karnama-v1\x00{name}\x00{password}"


def users_path(settings: Settings) -> Path:
    """Where the old account file lives (copied into the store once): ``users_file`` or ``<data dir>/users.json``."""
    return legacy.users_file(settings)


def _as_store(where: db.Store | Settings) -> db.Store:
    return where if isinstance(where, db.Store) else stores.open_store(where)


def _now() -> float:
    return time.time()


class AccountStore:
    """Accounts in the state store: read on every lookup (so changes from the CLI or another process apply at
    once); a database that cannot be reached raises AuthError (nobody signs in, the admin is told why)."""

    def __init__(self, where: db.Store | Settings, hasher: PasswordHasher | None = None) -> None:
        self.store = _as_store(where)
        self.hasher = hasher or default_hasher()
        self._dummy: list[str] = []
        self._dummy_made = threading.Event()
        if not self.hasher.check_needs_rehash(DUMMY_HASH):  # the usual case: the default parameters
            self._dummy.append(DUMMY_HASH)
            self._dummy_made.set()
            return
        # Other parameters: made now, not on the first unknown name (that login would otherwise be the slow one), on
        # another thread (argon2 releases the GIL): one hash at 64 MiB held up the first page of every app process.
        threading.Thread(target=self._make_dummy, name="karnama-dummy-hash", daemon=True).start()

    def _make_dummy(self) -> None:
        try:
            self._dummy.append(self.hasher.hash(secrets.token_hex(16)))
        finally:
            self._dummy_made.set()

    @property
    def _dummy_hash(self) -> str:
        """A hash of a random secret, verified against for unknown names (ready long before anyone signs in)."""
        self._dummy_made.wait()
        if not self._dummy:  # the thread failed: make it here
            self._dummy.append(self.hasher.hash(secrets.token_hex(16)))
        return self._dummy[0]

    # ---- reading ---------------------------------------------------------------------------------------
    @staticmethod
    def _account(row) -> Account | None:
        if row is None or row.role not in ROLES or not isinstance(row.password_hash, str):
            return None
        try:
            counties = json.loads(row.counties or "[]")
        except ValueError:
            counties = []
        if not isinstance(counties, list) or not all(isinstance(c, str) for c in counties):
            counties = []
        return Account(
            row.name, row.role, tuple(counties), row.password_hash, row.created_utc, row.password_changed_utc
        )

    def _rows(self, where=None) -> list:
        t = db.accounts
        try:
            with self.store.begin() as conn:
                q = sa.select(t).order_by(t.c.name)
                return list(conn.execute(q if where is None else q.where(where)))
        except (sa.exc.SQLAlchemyError, db.StoreError) as exc:
            raise AuthError(texts.AUTH_STORE_UNAVAILABLE) from exc

    def list(self) -> list[Account]:
        """Every well-formed account, by name."""
        return [a for a in map(self._account, self._rows()) if a is not None]

    def get(self, name: str) -> Account | None:
        """The account of that name (any case), or None."""
        rows = self._rows(db.accounts.c.name == normalise_name(name)[:64])
        return self._account(rows[0]) if rows else None

    def exists(self) -> bool:
        return bool(self._rows())

    # ---- writing ---------------------------------------------------------------------------------------
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
        digest = self.hash(name, check_password(password, name))
        return self.insert(Account(name, role, codes, digest, _utc_now(), _utc_now()))

    def insert(self, account: Account) -> Account:
        """Store a made account (its hash already computed); AuthError if the name is taken."""
        t = db.accounts
        with self.store.begin() as conn:
            if conn.execute(sa.select(t.c.name).where(t.c.name == account.name)).first():
                raise AuthError(texts.AUTH_EXISTS.format(name=account.name))
            conn.execute(
                t.insert().values(
                    name=account.name,
                    role=account.role,
                    counties=json.dumps(list(account.counties)),
                    password_hash=account.password_hash,
                    created_utc=account.created_utc or _utc_now(),
                    password_changed_utc=account.password_changed_utc or _utc_now(),
                )
            )
        return account

    def remove(self, name: str) -> None:
        """Remove an account; its sessions end in every process."""
        name = normalise_name(name)
        t = db.accounts
        with self.store.begin() as conn:
            roles = dict(conn.execute(sa.select(t.c.name, t.c.role)).all())
            if name not in roles:
                raise AuthError(texts.AUTH_NO_SUCH_ACCOUNT.format(name=name[:64]))
            if [n for n, r in roles.items() if r == ADMIN] == [name]:  # nobody could publish or manage accounts
                raise AuthError(texts.AUTH_LAST_ADMIN)
            conn.execute(t.delete().where(t.c.name == name))
            conn.execute(db.sessions.delete().where(db.sessions.c.name == name))

    def set_password(self, name: str, password: str) -> None:
        """Replace an account's password; its open sessions end, in every process (they are deleted)."""
        name = normalise_name(name)
        digest = self.hash(name, check_password(password, name))
        t = db.accounts
        with self.store.begin() as conn:
            done = conn.execute(
                t.update().where(t.c.name == name).values(password_hash=digest, password_changed_utc=_utc_now())
            )
            if not done.rowcount:
                raise AuthError(texts.AUTH_NO_SUCH_ACCOUNT.format(name=name[:64]))
            conn.execute(db.sessions.delete().where(db.sessions.c.name == name))

    # ---- checking --------------------------------------------------------------------------------------
    def _burn(self, password: str) -> None:
        """Spend the time of one verification, so an unknown name answers as slowly as a wrong password."""
        try:
            self.hasher.verify(self._dummy_hash, _secret("\x00", password))
        except (VerificationError, InvalidHashError):
            pass

    def check(self, name: str, password: str) -> tuple[Account | None, bool]:
        """(the account if the password is right, whether the name is an account); the same work either way:
        one lookup (also for a malformed name) and one argon2 verification."""
        name = normalise_name(name)[:64]
        password = password if isinstance(password, str) else ""
        account = self.get(name)
        if account is None or len(password) > MAX_PASSWORD:
            self._burn(password[:MAX_PASSWORD])
            return None, account is not None
        try:
            self.hasher.verify(account.password_hash, _secret(name, password))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None, True
        if self.hasher.check_needs_rehash(account.password_hash):
            try:
                t = db.accounts
                with self.store.begin() as conn:
                    conn.execute(
                        t.update()
                        .where(t.c.name == name, t.c.password_hash == account.password_hash)
                        .values(password_hash=self.hash(name, password))
                    )
            except sa.exc.SQLAlchemyError:
                pass  # an upgrade of the hash can wait for the next login
        return account, True

    def authenticate(self, name: str, password: str) -> Account | None:
        """The account if the password is right, else None (same answer and time for an unknown name)."""
        return self.check(name, password)[0]


# ---- brute force -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Limit:
    """At most ``failures`` failed logins within ``window`` seconds, then refused for ``lockout`` seconds."""

    failures: int
    window: float
    lockout: float


class RateLimiter:
    """Failed-login counters per account name and per client, in the state store (shared by every process,
    kept across restarts; nothing a client sends clears them)."""

    def __init__(
        self,
        where: db.Store | Settings,
        per_account: Limit,
        per_client: Limit,
        clock: Callable[[], float] = _now,
    ) -> None:
        self.store = _as_store(where)
        self.limits = {"account": per_account, "client": per_client}
        self.clock = clock

    @classmethod
    def from_settings(
        cls, settings: Settings, store: db.Store | None = None, clock: Callable[[], float] = _now
    ) -> RateLimiter:
        n = max(1, int(settings.login_max_failures))
        lockout = max(1, int(settings.login_lockout_minutes)) * 60.0
        return cls(store or settings, Limit(n, lockout, lockout), Limit(4 * n, lockout, lockout), clock)

    @staticmethod
    def _keys(account: str, client: str) -> list[tuple[str, str]]:
        # The typed name is kept only as a hash: it may be a password typed into the wrong field.
        name = hashlib.sha256(f"karnama-limit\x00{account}".encode()).hexdigest()[:40]
        return [("account", name), ("client", client[:64])]

    def retry_after(self, account: str, client: str) -> float:
        """Seconds until a login for this name from this client may be tried (0 = now)."""
        now = self.clock()
        t = db.lockouts
        keys = self._keys(account, client)
        with self.store.begin() as conn:
            until = conn.execute(
                sa.select(sa.func.max(t.c.until)).where(sa.tuple_(t.c.kind, t.c.key).in_(keys), t.c.until > now)
            ).scalar()
        return max(0.0, (until or now) - now)

    def failure(self, account: str, client: str) -> None:
        now = self.clock()
        f, lk = db.login_failures, db.lockouts
        with self.store.begin() as conn:
            for kind, key in self._keys(account, client):
                limit = self.limits[kind]
                mine = (f.c.kind == kind) & (f.c.key == key)
                conn.execute(f.delete().where(mine, f.c.at <= now - limit.window))
                conn.execute(f.insert().values(kind=kind, key=key, at=now))
                count = conn.execute(sa.select(sa.func.count()).select_from(f).where(mine)).scalar() or 0
                if count >= limit.failures:
                    conn.execute(lk.delete().where(lk.c.kind == kind, lk.c.key == key))
                    conn.execute(lk.insert().values(kind=kind, key=key, until=now + limit.lockout))
                    conn.execute(f.delete().where(mine))
            if random.random() < 0.01:  # now and then drop what no window can see any more (a spray of names)
                longest = max(x.window for x in self.limits.values())
                conn.execute(f.delete().where(f.c.at <= now - longest))
                conn.execute(lk.delete().where(lk.c.until <= now))

    def success(self, account: str) -> None:
        """A right password clears the name's count (not the client's: one good account must not reset it)."""
        f = db.login_failures
        with self.store.begin() as conn:
            conn.execute(f.delete().where(f.c.kind == "account", f.c.key == self._keys(account, "")[0][1]))


# ---- sessions --------------------------------------------------------------------------------------------
def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


class Sessions:
    """Server-side sessions in the state store: a random token (the only thing a browser session holds; the
    store keeps its SHA-256) → account, start and last use. Shared by every process; a restart keeps them."""

    TOUCH_EVERY = 5.0  # seconds: a run within this of the last one does not write (idle limits are minutes)

    def __init__(self, where: db.Store | Settings, clock: Callable[[], float] = _now) -> None:
        self.store = _as_store(where)
        self.clock = clock

    def create(self, name: str) -> str:
        token = secrets.token_urlsafe(32)
        now = self.clock()
        with self.store.begin() as conn:
            conn.execute(
                db.sessions.insert().values(token_hash=_token_hash(token), name=name, started=now, last_seen=now)
            )
        return token

    def check(self, token: object, idle_seconds: float) -> tuple[str | None, str]:
        """(name, "ok") and the idle clock restarted; or (name, "expired") once idle too long (the session
        ends); or (None, "none") for anything that is not a live token."""
        if not isinstance(token, str) or len(token) > 128:
            return None, "none"
        now = self.clock()
        t = db.sessions
        key = _token_hash(token)
        with self.store.begin() as conn:
            row = conn.execute(sa.select(t.c.name, t.c.last_seen).where(t.c.token_hash == key)).first()
            if row is None:
                return None, "none"
            if now - row.last_seen > idle_seconds:
                conn.execute(t.delete().where(t.c.token_hash == key))
                return row.name, "expired"
            if now - row.last_seen > self.TOUCH_EVERY:
                conn.execute(t.update().where(t.c.token_hash == key).values(last_seen=now))
            return row.name, "ok"

    def started(self, token: str) -> float | None:
        t = db.sessions
        with self.store.begin() as conn:
            return conn.execute(sa.select(t.c.started).where(t.c.token_hash == _token_hash(token))).scalar()

    def end(self, token: object) -> None:
        if isinstance(token, str):
            with self.store.begin() as conn:
                conn.execute(db.sessions.delete().where(db.sessions.c.token_hash == _token_hash(token)))

    def end_all(self, name: str) -> int:
        """End every session of an account (in every process); how many there were."""
        with self.store.begin() as conn:
            return conn.execute(db.sessions.delete().where(db.sessions.c.name == normalise_name(name))).rowcount


# ---- logging in ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LoginResult:
    account: Account | None
    message: str = ""  # Persian, for the login form
    retry_after: float = 0.0


class Authenticator:
    """The login decision: rate limits first, then the password, each attempt written to the audit log (failed
    attempts on names that are no account, and attempts refused by a lockout, are counted, not written one by
    one, so they cannot flood the log; the typed name is written only when it is an account)."""

    def __init__(
        self,
        settings: Settings,
        store: AccountStore | None = None,
        limiter: RateLimiter | None = None,
        sessions: Sessions | None = None,
    ) -> None:
        self.settings = settings
        self.store = store or AccountStore(settings)
        self.limiter = limiter or RateLimiter.from_settings(settings, self.store.store)
        self.sessions = sessions or Sessions(self.store.store)

    def _refused(self, key: str, client: str) -> LoginResult | None:
        """A refusal before any password is checked: the store unreachable, or this account or client locked out."""
        try:
            wait = self.limiter.retry_after(key, client)
        except (sa.exc.SQLAlchemyError, db.StoreError) as exc:  # nobody signs in while the store is unreachable
            _log.error("login refused, state store unreachable: %s", exc)
            return LoginResult(None, texts.AUTH_STORE_UNAVAILABLE)
        if wait > 0:
            self._audit_failure(None, client, "rate_limited")
            minutes = max(1, int(-(-wait // 60)))
            return LoginResult(None, texts.LOGIN_RATE_LIMITED.format(minutes=fa.num(minutes)), wait)
        return None

    def login(self, name: str, password: str, client: str | None) -> LoginResult:
        key = normalise_name(name)[:64]
        client = (client or "local")[:64]
        refused = self._refused(key, client)
        if refused is not None:
            return refused
        try:
            account, known = self.store.check(key, password)
        except AuthError as exc:  # an unreachable store: nobody logs in, and the admin is told why
            return LoginResult(None, str(exc))
        if account is None:
            self.limiter.failure(key, client)
            self._audit_failure(key if known else None, client, "bad_credentials")
            return LoginResult(None, texts.LOGIN_FAILED)
        try:
            audit.record("login_success", account.name, settings=self.settings, client=client, role=account.role)
        except audit.AuditError as exc:  # fail closed: a login that cannot be recorded does not happen
            return LoginResult(None, str(exc))
        self.limiter.success(key)
        return LoginResult(account)

    def change_password(self, name: str, current: str, new: str, repeat: str, client: str | None) -> str | None:
        """A signed-in person's own new password. The current one is checked under the login's limits and counts
        as a failed login when wrong (a session left open must not let anyone try passwords); the new one follows
        the password rules; every open session of the account ends, in every process. None when done, else the
        reason in Persian."""
        key = normalise_name(name)[:64]
        client = (client or "local")[:64]
        refused = self._refused(key, client)
        if refused is not None:
            return refused.message
        if new != repeat:
            return texts.PASSWORD_MISMATCH
        try:
            account, _ = self.store.check(key, current)
        except AuthError as exc:
            return str(exc)
        if account is None:
            self.limiter.failure(key, client)
            self._audit_failure(key, client, "bad_credentials")
            return texts.PASSWORD_WRONG
        if new == current:
            return texts.PASSWORD_SAME
        try:
            self.store.set_password(key, new)
        except AuthError as exc:  # the rules: too short, the name, a common password
            return str(exc)
        except (sa.exc.SQLAlchemyError, db.StoreError) as exc:
            _log.error("password not changed, state store unreachable: %s", exc)
            return texts.AUTH_STORE_UNAVAILABLE
        self.limiter.success(key)
        audit.try_record("user_password", key, settings=self.settings, client=client, target=key)
        return None

    def _audit_failure(self, name: str | None, client: str, reason: str) -> None:
        # The attempt fails anyway; an unwritable log must not turn a refusal into a crash.
        window = max(1, int(self.settings.login_lockout_minutes)) * 60.0
        audit.record_login_failure(self.settings, name, client, reason, window=window, store=self.store.store)


_SERVICES: dict[tuple, Authenticator] = {}
_SERVICES_LOCK = threading.Lock()


def login_service(settings: Settings) -> Authenticator:
    """The Authenticator for these settings, one per store and limits in this process (the gate calls this on
    every run; it holds no security state, only the store handle and the dummy hash)."""
    key = (
        db.database_url(settings),
        str(Path(settings.data_dir).resolve()),
        settings.login_max_failures,
        settings.login_lockout_minutes,
    )
    with _SERVICES_LOCK:
        service = _SERVICES.get(key)
        if service is None or service.settings != settings:
            service = _SERVICES[key] = Authenticator(settings)
    return service
