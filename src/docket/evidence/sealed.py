"""Witness identities sealed with AES-256-GCM.

A sealed value is ``DKI1 | salt length | salt | nonce | ciphertext+tag``; the associated data
binds it to its testimony's pseudonym, so a sealed identity moved to another testimony does not
open. The salt is empty for a key file and holds the Argon2 salt for a passphrase.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from docket.errors import ConfigError, IntegrityError
from docket.evidence.keys import IdentityKey, key_id
from docket.evidence.models import Identity

MAGIC = b"DKI1"


def seal(identity: Identity, key: IdentityKey, bound_to: str) -> bytes:
    salt = key.salt
    nonce = os.urandom(12)
    plain = identity.model_dump_json(exclude_none=True).encode("utf-8")
    header = MAGIC + bytes([len(salt)]) + salt
    sealed = AESGCM(key.key_for(salt)).encrypt(nonce, plain, header + bound_to.encode("utf-8"))
    return header + nonce + sealed


def sealed_key_id(blob: bytes, key: IdentityKey) -> str:
    """The id of the key ``key`` yields for this sealed value (to compare with the stored id)."""
    salt, _, _ = _split(blob)
    return key_id(key.key_for(salt))


def unseal(blob: bytes, key: IdentityKey, bound_to: str, expected_key_id: str | None) -> Identity:
    salt, nonce, sealed = _split(blob)
    raw_key = key.key_for(salt)
    if expected_key_id and key_id(raw_key) != expected_key_id:
        raise ConfigError(
            f"{bound_to}: identity was sealed with key {expected_key_id}; "
            f"the key given is {key_id(raw_key)}"
        )
    header = MAGIC + bytes([len(salt)]) + salt
    try:
        plain = AESGCM(raw_key).decrypt(nonce, sealed, header + bound_to.encode("utf-8"))
    except InvalidTag:
        raise IntegrityError(
            f"{bound_to}: sealed identity does not open: altered, or moved from another testimony"
        ) from None
    return Identity.model_validate_json(plain)


def _split(blob: bytes) -> tuple[bytes, bytes, bytes]:
    if blob[:4] != MAGIC or len(blob) < 5:
        raise IntegrityError("sealed identity has an unknown format")
    salt_len = blob[4]
    salt = blob[5 : 5 + salt_len]
    rest = blob[5 + salt_len :]
    return salt, rest[:12], rest[12:]
