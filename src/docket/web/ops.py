"""Operations of the web stage, mixed into :class:`docket.Docket`: local accounts and tokens."""

from __future__ import annotations

from docket._ops import Ops
from docket.web import auth


class WebOps(Ops):
    def add_user(self, name: str, role: str, password: str) -> auth.User:
        """Create a local account (argon2id password hash)."""
        with self.store.write() as conn:
            return auth.add_user(conn, name, role, password)

    def users(self) -> list[auth.User]:
        with self.store.read() as conn:
            return auth.list_users(conn)

    def set_user_role(self, name: str, role: str) -> auth.User:
        with self.store.write() as conn:
            return auth.set_role(conn, name, role)

    def create_token(self, name: str, label: str | None = None) -> str:
        """A new API token for ``name``; shown once, only its hash is stored."""
        with self.store.write() as conn:
            return auth.create_token(conn, name, label)

    def revoke_access(self, name: str) -> int:
        """Revoke all of ``name``'s API tokens and log them out everywhere (this process's token
        cache is cleared; other server processes forget a token within 10 s)."""
        with self.store.write() as conn:
            return auth.revoke(conn, name)

    def enable_totp(self, name: str) -> str:
        """Require a TOTP code at login for ``name``; returns the otpauth:// URI."""
        with self.store.write() as conn:
            return auth.enable_totp(conn, name)
