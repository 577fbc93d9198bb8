"""Keys: the AES key that protects witness identities and the Ed25519 key that signs packages.

``docket keys init`` writes, in a folder only its owner can open (mode 700):

- ``identity.key``: 32 random bytes (base64), mode 600, for AES-256-GCM;
- ``signing.key``: the Ed25519 private key (PEM, PKCS#8), mode 600;
- ``signing.pub``: its public key (PEM), for whoever checks packages.

Identities can instead be protected by a passphrase, stretched with Argon2id; the salt travels
inside each sealed value so the passphrase alone opens it.
"""

from __future__ import annotations

import base64
import hashlib
import os
import stat
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from docket.errors import ConfigError

ENV_VAR = "DOCKET_KEYS"
IDENTITY_KEY = "identity.key"
SIGNING_KEY = "signing.key"
SIGNING_PUB = "signing.pub"
PRIVATE = 0o600

ARGON2 = {"time_cost": 3, "memory_cost": 64 * 1024, "parallelism": 2, "hash_len": 32}


def default_keys_dir() -> Path:
    return Path(os.environ.get(ENV_VAR) or Path.home() / ".docket" / "keys").expanduser()


def key_id(key: bytes) -> str:
    """A short public name of a key (never the key): 16 hex digits."""
    return hashlib.sha256(b"docket-key-id\x00" + key).hexdigest()[:16]


class IdentityKey:
    """Where the AES key for identities comes from: a key file, or a passphrase and a salt."""

    salt: bytes = b""

    def key_for(self, salt: bytes) -> bytes:
        raise NotImplementedError

    @property
    def key_id(self) -> str:
        return key_id(self.key_for(self.salt))


@dataclass
class FileKey(IdentityKey):
    path: Path
    key: bytes

    @classmethod
    def load(cls, path: Path) -> FileKey:
        _check_private(path)
        try:
            key = base64.b64decode(path.read_bytes().strip(), validate=True)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{path}: cannot read the identity key ({exc})") from None
        if len(key) != 32:
            raise ConfigError(f"{path}: an identity key is 32 bytes (base64), found {len(key)}")
        return cls(path, key)

    def key_for(self, salt: bytes) -> bytes:
        if salt:
            raise ConfigError(
                "this identity was sealed with a passphrase, not a key file; give --passphrase"
            )
        return self.key


class PassphraseKey(IdentityKey):
    """A key stretched from a passphrase with Argon2id (64 MiB, 3 passes)."""

    def __init__(self, passphrase: str, salt: bytes | None = None) -> None:
        if len(passphrase) < 12:
            raise ConfigError("a passphrase must have at least 12 characters")
        self._secret = passphrase.encode("utf-8")
        self.salt = salt or os.urandom(16)

    def key_for(self, salt: bytes) -> bytes:
        if not salt:
            raise ConfigError(
                "this identity was sealed with a key file, not a passphrase; give --key-file"
            )
        return _stretch(self._secret, salt)


@cache
def _stretch(secret: bytes, salt: bytes) -> bytes:
    return hash_secret_raw(secret, salt, type=Type.ID, **ARGON2)


def _check_private(path: Path) -> None:
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        raise ConfigError(
            f"{path}: no such key file; create keys with `docket keys init`"
        ) from None
    if mode & 0o077:
        raise ConfigError(
            f"{path}: key file is readable by others (mode {mode:o}); run chmod 600 {path}"
        )


@dataclass(frozen=True)
class KeyPaths:
    folder: Path
    identity: Path
    signing: Path
    public: Path
    identity_key_id: str
    signing_key_id: str


def init_keys(folder: Path, *, force: bool = False) -> KeyPaths:
    """Create a new identity key and signing key pair in ``folder`` (refuses to overwrite)."""
    paths = [folder / IDENTITY_KEY, folder / SIGNING_KEY, folder / SIGNING_PUB]
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        raise ConfigError(
            f"{existing[0]} already exists; keys protect stored identities and past packages, "
            "so they are not replaced (use --force only if you are sure)"
        )
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    identity = os.urandom(32)
    signing = Ed25519PrivateKey.generate()
    _write_private(paths[0], base64.b64encode(identity) + b"\n")
    _write_private(
        paths[1],
        signing.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    paths[2].write_bytes(public_pem(signing.public_key()))
    return KeyPaths(
        folder, paths[0], paths[1], paths[2], key_id(identity), public_key_id(signing.public_key())
    )


def _write_private(path: Path, content: bytes) -> None:
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    with os.fdopen(fd, "wb") as out:
        out.write(content)


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def public_key_id(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return key_id(raw)


def load_signing_key(folder: Path) -> Ed25519PrivateKey:
    path = folder / SIGNING_KEY
    _check_private(path)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise ConfigError(f"{path}: cannot read the signing key ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigError(f"{path}: not an Ed25519 private key")
    return key


def load_public_key(pem: bytes, where: str) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(pem)
    except ValueError as exc:
        raise ConfigError(f"{where}: cannot read the public key ({exc})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise ConfigError(f"{where}: not an Ed25519 public key")
    return key
