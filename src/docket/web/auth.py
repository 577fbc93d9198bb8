"""Local accounts: argon2 password hashes, browser sessions, API tokens, TOTP, login throttling.

Secrets handed to people (session cookies, API tokens) are random; only their SHA-256 is stored,
so a copy of the database does not let anyone log in.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass

import pyotp
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from docket.errors import InputError, NotFoundError
from docket.store.audit import now
from docket.web.roles import check_role
from docket.web.tables import api_tokens, users, web_sessions

SESSION_DAYS = 7
TOKEN_PREFIX = "dk_"
MIN_PASSWORD = 10
_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """A hash to check unknown names against, so they cost the same time as wrong passwords.

    Made on first use: argon2 is slow by design, too slow to run at every CLI start-up."""
    return _hasher.hash("not-a-real-password")


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    totp: bool = False


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _check_name(name: str) -> str:
    if not name or len(name) > 100 or not all(c.isalnum() or c in "._-@" for c in name):
        raise InputError(
            f"user name {name!r} is not allowed; use letters, digits and . _ - @ (at most 100)"
        )
    return name


def add_user(conn: sa.Connection, name: str, role: str, password: str) -> User:
    """Create a local account; the password is stored as an argon2id hash."""
    _check_name(name)
    check_role(role)
    if len(password) < MIN_PASSWORD:
        raise InputError(
            f"password for {name!r} is too short; use at least {MIN_PASSWORD} characters"
        )
    if conn.execute(sa.select(users.c.id).where(users.c.name == name)).first():
        raise InputError(f"user {name!r} already exists; `docket users list` shows the accounts")
    user_id = conn.execute(
        sa.insert(users).returning(users.c.id),
        {"name": name, "role": role, "password_hash": _hasher.hash(password), "created_at": now()},
    ).scalar_one()
    return User(user_id, name, role)


def _user_row(conn: sa.Connection, name: str) -> sa.Row | None:
    return conn.execute(sa.select(users).where(users.c.name == name)).first()


def get_user(conn: sa.Connection, name: str) -> User:
    row = _user_row(conn, name)
    if row is None:
        raise NotFoundError(f"no user {name!r}; `docket users list` shows the accounts")
    return User(row.id, row.name, row.role, row.totp_secret is not None)


def list_users(conn: sa.Connection) -> list[User]:
    rows = conn.execute(sa.select(users).where(users.c.active).order_by(users.c.name))
    return [User(r.id, r.name, r.role, r.totp_secret is not None) for r in rows]


def set_role(conn: sa.Connection, name: str, role: str) -> User:
    user = get_user(conn, name)
    conn.execute(sa.update(users).where(users.c.id == user.id).values(role=check_role(role)))
    return User(user.id, user.name, role, user.totp)


def enable_totp(conn: sa.Connection, name: str) -> str:
    """Turn on TOTP for ``name``; returns the otpauth:// URI to load into an authenticator app."""
    user = get_user(conn, name)
    secret = pyotp.random_base32()
    conn.execute(sa.update(users).where(users.c.id == user.id).values(totp_secret=secret))
    return pyotp.TOTP(secret).provisioning_uri(name=name, issuer_name="Docket")


def authenticate(
    conn: sa.Connection, name: str, password: str, code: str | None = None
) -> User | None:
    """The user if name, password (and TOTP code, when enabled) are right; else ``None``."""
    row = _user_row(conn, name) if len(name) <= 100 else None
    if row is None or not row.active:
        _verify(_dummy_hash(), password)
        return None
    if not _verify(row.password_hash, password):
        return None
    if row.totp_secret and not pyotp.TOTP(row.totp_secret).verify(code or "", valid_window=1):
        return None
    return User(row.id, row.name, row.role, row.totp_secret is not None)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password[:1024])
    except (VerificationError, InvalidHashError):
        return False


def start_session(conn: sa.Connection, user: User) -> str:
    """A new session token for a browser cookie."""
    token = secrets.token_urlsafe(32)
    stamp = now()
    conn.execute(
        sa.insert(web_sessions),
        {
            "token_hash": _digest(token),
            "user_id": user.id,
            "created_at": stamp,
            "expires_at": stamp + dt.timedelta(days=SESSION_DAYS),
        },
    )
    return token


def end_session(conn: sa.Connection, token: str) -> None:
    conn.execute(sa.delete(web_sessions).where(web_sessions.c.token_hash == _digest(token)))


def session_user(conn: sa.Connection, token: str) -> User | None:
    query = (
        sa.select(users.c.id, users.c.name, users.c.role, users.c.totp_secret)
        .join(web_sessions, web_sessions.c.user_id == users.c.id)
        .where(web_sessions.c.token_hash == _digest(token))
        .where(web_sessions.c.expires_at > now())
        .where(users.c.active)
    )
    row = conn.execute(query).first()
    return User(row.id, row.name, row.role, row.totp_secret is not None) if row else None


def create_token(conn: sa.Connection, name: str, label: str | None = None) -> str:
    """A new API token for ``name`` (shown once; only its hash is kept)."""
    user = get_user(conn, name)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    conn.execute(
        sa.insert(api_tokens),
        {"user_id": user.id, "token_hash": _digest(token), "label": label, "created_at": now()},
    )
    return token


TOKEN_CACHE_SECONDS = 10.0
_token_cache: dict[str, tuple[float, User]] = {}


def token_user(conn: sa.Connection, token: str) -> User | None:
    """The user of an API token. Scripts send many requests, so a known token is remembered for
    :data:`TOKEN_CACHE_SECONDS`: revoking one takes effect within that time."""
    digest = _digest(token)
    if (cached := _cached(digest)) is not None:
        return cached
    at = time.monotonic()
    user = _token_user(conn, digest)
    if user is not None:
        if len(_token_cache) > 10_000:
            _token_cache.clear()
        _token_cache[digest] = (at, user)
    else:
        _token_cache.pop(digest, None)
    return user


def cached_token_user(token: str) -> User | None:
    """The user of an API token looked up in the last :data:`TOKEN_CACHE_SECONDS`, else
    ``None``: a script's repeated requests need no database connection to authenticate."""
    return _cached(_digest(token))


def _cached(digest: str) -> User | None:
    cached = _token_cache.get(digest)
    if cached is not None and time.monotonic() - cached[0] < TOKEN_CACHE_SECONDS:
        return cached[1]
    return None


def _token_user(conn: sa.Connection, digest: str) -> User | None:
    query = (
        sa.select(users.c.id, users.c.name, users.c.role, users.c.totp_secret)
        .join(api_tokens, api_tokens.c.user_id == users.c.id)
        .where(api_tokens.c.token_hash == digest)
        .where(sa.not_(api_tokens.c.revoked))
        .where(users.c.active)
    )
    row = conn.execute(query).first()
    return User(row.id, row.name, row.role, row.totp_secret is not None) if row else None


def revoke(conn: sa.Connection, name: str) -> int:
    """Revoke every API token of ``name`` and end their sessions; returns how many tokens."""
    user = get_user(conn, name)
    revoked = conn.execute(
        sa.update(api_tokens)
        .where(api_tokens.c.user_id == user.id)
        .where(sa.not_(api_tokens.c.revoked))
        .values(revoked=True)
    ).rowcount
    conn.execute(sa.delete(web_sessions).where(web_sessions.c.user_id == user.id))
    _token_cache.clear()
    return int(revoked or 0)


class LoginThrottle:
    """At most ``limit`` failed logins per name, and ``per_address`` per client address, in
    ``window`` seconds (an office behind one address has several people)."""

    def __init__(self, limit: int = 5, window: float = 300.0, per_address: int = 25) -> None:
        self.limit = limit
        self.per_address = per_address
        self.window = window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, at: float) -> deque[float]:
        failures = self._failures[key]
        while failures and failures[0] <= at - self.window:
            failures.popleft()
        return failures

    def blocked_for(self, *keys: str) -> float:
        """Seconds until these keys may try again (0 when they may now)."""
        at = time.monotonic()
        with self._lock:
            waits = [
                failures[0] + self.window - at
                for key in keys
                if len(failures := self._recent(key, at)) >= self._limit(key)
            ]
        return max(waits, default=0.0)

    def _limit(self, key: str) -> int:
        return self.per_address if key.startswith("ip:") else self.limit

    def failed(self, *keys: str) -> None:
        at = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, at).append(at)

    def succeeded(self, name_key: str) -> None:
        with self._lock:
            self._failures.pop(name_key, None)
