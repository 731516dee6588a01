"""Sealed secret ballots: what a secret ballot is while its round is open.

A secret ballot is stored, in the transaction that marks its voter as having voted, only
*sealed*: encrypted and authenticated (AES-256-GCM) under a key of its round, with the
receipt inside. The row is keyed by a tag of the receipt (an HMAC under another key of the
round), so a ballot sent again with the same receipt, or changed with its last receipt, is
found without the key ever being in the database. Every sealed box of a round has the same
length (padded to the longest ballot the round allows), so the length says nothing either.

The keys of a round come from the application's ``SECRET_KEY`` (shared by every process,
kept out of the database) and a random salt drawn when the round opens and stored with it;
the salt is wiped when the round closes. ``SECRET_KEY_FALLBACKS`` still open the rounds
sealed before a key rotation: each round stores a short check value of the key it was
sealed with.

Sealed ballots are opened (``convene/services/rounds/ballots.py``) only in groups of at least
``k`` voters: into the ballots table in a random order, in one transaction, and at the
close. See docs/rounds.md for the threat model.
"""

from __future__ import annotations

import base64
import hmac
import json
import os
import secrets
from collections.abc import Callable, Iterable
from hashlib import sha256

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

#: No secret ballot is ever attributable to fewer voters than this (or to every voter of
#: its round, if fewer voted).
ANONYMITY = 5
NONCE = 12
#: Room in a sealed box beyond the ballot itself: receipt, weight, the receipt it replaces.
ENVELOPE = 96
_INFO = b"convene sealed ballots v1"


class SealBroken(RuntimeError):
    """A sealed ballot that none of the configured keys opens (SECRET_KEY changed and the
    old one is not in SECRET_KEY_FALLBACKS), or that was altered."""


def _derive(secret: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=64, salt=salt, info=_INFO).derive(secret)


class RoundSeal:
    """The keys of one open secret round."""

    __slots__ = ("_aead", "_tag_key", "size")

    def __init__(self, material: bytes, size: int) -> None:
        self._aead = AESGCM(material[:32])
        self._tag_key = material[32:]
        self.size = size

    def tag(self, receipt: str) -> str:
        """The sealed row's key for ``receipt``: nobody without the key can compute it, so
        the published receipts do not lead to the sealed rows (nor to their voters)."""
        return hmac.digest(self._tag_key, receipt.encode(), sha256)[:16].hex()

    def seal(self, tag: str, receipt: str, content: str, weight: int, replaces: str) -> bytes:
        data = json.dumps([receipt, content, weight, replaces], separators=(",", ":")).encode()
        if len(data) < self.size:
            data += b" " * (self.size - len(data))
        nonce = os.urandom(NONCE)
        return nonce + self._aead.encrypt(nonce, data, tag.encode())

    def open(self, tag: str, box: bytes) -> tuple[str, str, int, str]:
        """(receipt, content, weight, receipt it replaces or "")."""
        box = bytes(box)
        try:
            data = self._aead.decrypt(box[:NONCE], box[NONCE:], tag.encode())
        except InvalidTag:
            raise SealBroken("a sealed ballot does not open with this round's key") from None
        receipt, content, weight, replaces = json.loads(data)
        return receipt, content, weight, replaces


class Sealer:
    """Draws the seal of each secret round when it opens, and finds its keys again (in any
    process, after any restart) from the application's secret."""

    def __init__(self, secret: bytes | str | None, fallbacks: Iterable[bytes | str] = ()) -> None:
        # Without a configured secret (scripts, unit tests) a process-local one: its sealed
        # ballots can be opened only by the same process.
        keys = [secret or secrets.token_bytes(32), *fallbacks]
        self._secrets = [k.encode() if isinstance(k, str) else bytes(k) for k in keys if k]
        self._cache: dict[str, RoundSeal] = {}

    def new_seal(self) -> str:
        """The ``seal`` column of a round that opens: salt and key check, both hex."""
        salt = secrets.token_bytes(16)
        return f"{salt.hex()}.{self._check(_derive(self._secrets[0], salt))}"

    @staticmethod
    def _check(material: bytes) -> str:
        return hmac.digest(material, b"check", sha256)[:8].hex()

    def keys(self, seal: str, size: Callable[[], int]) -> RoundSeal:
        """The keys of the round whose ``seal`` column this is (a salt is drawn per round,
        so it names the round); ``size`` gives the length of its boxes, on first use."""
        cached = self._cache.get(seal)
        if cached is not None:
            return cached
        salt_hex, _, check = seal.partition(".")
        salt = bytes.fromhex(salt_hex)
        for secret in self._secrets:
            material = _derive(secret, salt)
            if hmac.compare_digest(self._check(material), check):
                break
        else:
            raise SealBroken(
                "this round was sealed with another SECRET_KEY: put the old key in "
                "SECRET_KEY_FALLBACKS to open its ballots"
            )
        if len(self._cache) > 1000:
            self._cache.clear()
        found = self._cache[seal] = RoundSeal(material, size())
        return found


# -- roster credentials --------------------------------------------------------------------------

_CREDENTIAL_SALT = b"convene roster credentials v1"


class Credentials:
    """Keeps each roster entry's personal link and badge code exportable (the credentials CSV,
    the badge PDF) without either being readable from the database alone.

    A link's token is stored only as its SHA-256 (``link_hash``, as every member's token), and
    a badge code only as an HMAC under a key from ``SECRET_KEY`` (``code_tag``: 37 bits are
    too few for a plain hash, which anyone holding the database could reverse by trying every
    code). The pair itself is stored sealed (``credential``: AES-256-GCM under another key
    from ``SECRET_KEY``, bound to its ``link_hash``), so the facilitator can download the
    badges again at any time. ``SECRET_KEY_FALLBACKS`` still open and find credentials made
    before a key rotation."""

    def __init__(self, secret: bytes | str | None, fallbacks: Iterable[bytes | str] = ()) -> None:
        keys = [secret or secrets.token_bytes(32), *fallbacks]
        raw = [k.encode() if isinstance(k, str) else bytes(k) for k in keys if k]
        derived = [_derive(k, _CREDENTIAL_SALT) for k in raw]
        self._aeads = [AESGCM(m[:32]) for m in derived]
        self._tag_keys = [m[32:] for m in derived]

    def tag(self, code: str) -> str:
        """The ``code_tag`` of badge code ``code`` under the current key."""
        return self.tags(code)[0]

    def tags(self, code: str) -> list[str]:
        """Its tag under every configured key (a badge made before a rotation still works)."""
        return [hmac.digest(k, code.encode(), sha256)[:16].hex() for k in self._tag_keys]

    def seal(self, link_hash: str, token: str, code: str) -> str:
        nonce = os.urandom(NONCE)
        box = self._aeads[0].encrypt(nonce, f"{token} {code}".encode(), link_hash.encode())
        return base64.urlsafe_b64encode(nonce + box).decode()

    def open(self, link_hash: str, sealed: str) -> tuple[str, str]:
        """(token, code); SealBroken if no configured key opens it."""
        box = base64.urlsafe_b64decode(sealed.encode())
        for aead in self._aeads:
            try:
                data = aead.decrypt(box[:NONCE], box[NONCE:], link_hash.encode())
            except InvalidTag:
                continue
            token, _, code = data.decode().partition(" ")
            return token, code
        raise SealBroken(
            "a roster credential was sealed with another SECRET_KEY: put the old key in "
            "SECRET_KEY_FALLBACKS, or reissue the badges"
        )
