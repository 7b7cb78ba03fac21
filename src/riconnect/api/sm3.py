"""SM3 (GB/T 32905-2016), the hash of the ``ACS3-HMAC-SM3`` signature.

:func:`new` returns a hashlib object: OpenSSL's ``sm3`` when this Python's OpenSSL has it
(3.x does), else the pure-Python :class:`Sm3` below, which gives the same digests
(tests/api/test_sm3_signature.py checks both against the standard's examples).  Either works
as the ``digestmod`` of :func:`hmac.new`.
"""

from __future__ import annotations

import hashlib
import struct
from typing import Any

_IV = (
    0x7380166F,
    0x4914B2B9,
    0x172442D7,
    0xDA8A0600,
    0xA96F30BC,
    0x163138AA,
    0xE38DEE4D,
    0xB0FB0E4E,
)
_MASK = 0xFFFFFFFF


def _rotl(x: int, n: int) -> int:
    n %= 32
    return ((x << n) | (x >> (32 - n))) & _MASK


def _p0(x: int) -> int:
    return x ^ _rotl(x, 9) ^ _rotl(x, 17)


def _p1(x: int) -> int:
    return x ^ _rotl(x, 15) ^ _rotl(x, 23)


def _compress(v: tuple[int, ...], block: bytes) -> tuple[int, ...]:
    w = list(struct.unpack(">16I", block))
    for j in range(16, 68):
        w.append(_p1(w[j - 16] ^ w[j - 9] ^ _rotl(w[j - 3], 15)) ^ _rotl(w[j - 13], 7) ^ w[j - 6])
    w1 = [w[j] ^ w[j + 4] for j in range(64)]
    a, b, c, d, e, f, g, h = v
    for j in range(64):
        t = 0x79CC4519 if j < 16 else 0x7A879D8A
        ss1 = _rotl((_rotl(a, 12) + e + _rotl(t, j)) & _MASK, 7)
        ss2 = ss1 ^ _rotl(a, 12)
        if j < 16:
            ff, gg = a ^ b ^ c, e ^ f ^ g
        else:
            ff, gg = (a & b) | (a & c) | (b & c), (e & f) | (~e & g)
        tt1 = (ff + d + ss2 + w1[j]) & _MASK
        tt2 = (gg + h + ss1 + w[j]) & _MASK
        a, b, c, d = tt1, a, _rotl(b, 9), c
        e, f, g, h = _p0(tt2), e, _rotl(f, 19), g
    return tuple(x ^ y for x, y in zip(v, (a, b, c, d, e, f, g, h), strict=True))


class Sm3:
    """A hashlib-style SM3 object in pure Python (for an OpenSSL without SM3)."""

    name = "sm3"
    digest_size = 32
    block_size = 64

    def __init__(self, data: bytes = b"") -> None:
        self._state: tuple[int, ...] = _IV
        self._buffer = b""
        self._length = 0
        self.update(data)

    def update(self, data: bytes) -> None:
        self._length += len(data)
        buffer = self._buffer + bytes(data)
        full = len(buffer) - len(buffer) % 64
        for start in range(0, full, 64):
            self._state = _compress(self._state, buffer[start : start + 64])
        self._buffer = buffer[full:]

    def copy(self) -> Sm3:
        other = Sm3()
        other._state, other._buffer, other._length = self._state, self._buffer, self._length
        return other

    def digest(self) -> bytes:
        bits = self._length * 8
        tail = self._buffer + b"\x80" + b"\x00" * ((55 - len(self._buffer)) % 64)
        state = self._state
        tail += struct.pack(">Q", bits)
        for start in range(0, len(tail), 64):
            state = _compress(state, tail[start : start + 64])
        return struct.pack(">8I", *state)

    def hexdigest(self) -> str:
        return self.digest().hex()


def _openssl_has_sm3() -> bool:
    try:
        hashlib.new("sm3", b"abc")
    except ValueError:
        return False
    return True


_NATIVE = _openssl_has_sm3()


def new(data: bytes = b"") -> Any:
    """A new SM3 hash object, OpenSSL's when available."""
    return hashlib.new("sm3", data) if _NATIVE else Sm3(data)
