"""Certificate IDs a person can type: `IDC-2026-7KQ3-9XHD-V`.

Shape: a prefix (letters, configurable, default `IDC`), the year of issue, the random part in
Crockford base32 (alphabet `0-9 A-Z` without I, L, O, U) in groups of four, and one check
character from the same alphabet. 40 random bits (8 characters) by default, up to 130.

The check character (Damm's algorithm over GF(32)). Read each covered symbol as an element of
GF(2^5) = GF(2)[x]/(x^5 + x^2 + 1) and fold `c <- a * (c XOR v)`, starting from `c = 0`, with
`a = x`. The quasigroup `c o v = a * (c XOR v)` is totally anti-symmetric with a zero diagonal,
so the check character is the final `c`, and a whole ID (check included) folds to 0. Unrolled,
an ID `v_1 .. v_n` folds to `SUM a^(n-i+1) * v_i` (sum = XOR), hence:
- a single substitution `v_i -> w` changes the sum by `a^k * (v_i XOR w)`, never 0 (a field has
  no zero divisors): every single-character substitution is caught;
- swapping `v_i` and `v_j` (`v_i != v_j`) changes it by `(a^k XOR a^m) * (v_i XOR v_j)`, 0 only
  if `a^k = a^m`; `a` generates the multiplicative group, whose order 31 is prime, so the powers
  `a^1 .. a^31` are distinct and EVERY transposition (adjacent or not) among at most 31 covered
  symbols is caught. The longest ID covers 4 + 26 + 1 = 31 symbols.
Unlike a weighted sum mod 37, the check never needs a 33rd symbol (`*~$=U`): it stays typable.

What the check covers: the year and the random part (and itself). Not the prefix: it is the same
for every ID of a registry, so a wrong prefix is a malformed ID ("not one of ours"), not a typo.

Input is forgiving: case, spaces and hyphens are ignored, O reads as 0, I and L as 1 (also in the
prefix, so `1dc 2026 7kq3 9xhd v` works), and the prefix may be left out.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from certify.core.errors import CertifyError, Problem
from certify.core.text import Text

ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford base32: the value of a symbol is its index."""
DEFAULT_PREFIX: Final = "IDC"
DEFAULT_RANDOM_BITS: Final = 40
MIN_RANDOM_CHARS: Final = 8  # 40 bits: not guessable, not enumerable
MAX_RANDOM_CHARS: Final = 26  # 130 bits; year + random + check = 31 symbols at most (see above)
GROUP: Final = 4  # characters per hyphenated group of the random part

_VALUE: Final = {symbol: value for value, symbol in enumerate(ALPHABET)}
_READS_AS: Final = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS: Final = re.compile(r"[\s\-\u2010-\u2015\u2212]+")  # spaces, hyphens, dashes
_PREFIX_SHAPE: Final = re.compile(r"[A-Z]{1,8}")
_MODULUS: Final = 0b100101  # x^5 + x^2 + 1, primitive over GF(2)


class CertificateIdError(CertifyError):
    """A text is not a certificate ID of this registry; `text` says why in both languages."""

    def __init__(self, text: Text) -> None:
        self.text = text
        super().__init__([Problem(message=text.en)])


class MalformedId(CertificateIdError):
    """Not the shape of a certificate ID: wrong prefix, length, year or a foreign character."""


class CheckMismatch(CertificateIdError):
    """The right shape, but the check character does not match: probably a typo."""

    def __init__(self, canonical: str) -> None:
        self.canonical = canonical
        super().__init__(
            Text(
                en=f"{canonical}: the check character does not match; probably a typo. "
                "Compare each character with the certificate.",
                id=f"{canonical}: karakter pemeriksa tidak cocok; kemungkinan salah ketik. "
                "Bandingkan setiap karakter dengan sertifikat.",
            )
        )


@dataclass(frozen=True, slots=True)
class CertificateId:
    """A well-formed certificate ID whose check character matches."""

    prefix: str
    year: str  # four digits
    random: str  # Crockford base32, MIN_RANDOM_CHARS..MAX_RANDOM_CHARS characters
    check: str  # one Crockford base32 character

    def __str__(self) -> str:
        groups = [self.random[i : i + GROUP] for i in range(0, len(self.random), GROUP)]
        return "-".join([self.prefix, self.year, *groups, self.check])


def check_character(symbols: str) -> str:
    """The check character of `symbols` (year + random part, canonical Crockford characters)."""
    return ALPHABET[_fold(symbols)]


def new_certificate_id(
    year: int,
    *,
    prefix: str = DEFAULT_PREFIX,
    random_bits: int = DEFAULT_RANDOM_BITS,
    rng: Callable[[int], int] = secrets.randbits,
) -> CertificateId:
    """A fresh ID for a certificate issued in `year`; `rng(bits)` returns that many random bits."""
    _check_prefix(prefix)
    if not 1000 <= year <= 9999:
        raise ValueError(f"year must have four digits, got {year}")
    chars, rest = divmod(random_bits, 5)
    if rest or not MIN_RANDOM_CHARS <= chars <= MAX_RANDOM_CHARS:
        raise ValueError(
            f"random_bits must be a multiple of 5 from {5 * MIN_RANDOM_CHARS} to "
            f"{5 * MAX_RANDOM_CHARS}, got {random_bits}"
        )
    number = rng(random_bits)
    if not 0 <= number < 1 << random_bits:
        raise ValueError(f"rng({random_bits}) returned {number}, outside 0..2**{random_bits}-1")
    random = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(chars)))
    return CertificateId(prefix, str(year), random, check_character(f"{year}{random}"))


def normalise(text: str, *, prefix: str = DEFAULT_PREFIX) -> str:
    """The canonical form of a typed ID (`IDC-2026-7KQ3-9XHD-V`); the check is NOT verified.

    Raises `MalformedId` when the text is not the shape of an ID of this registry.
    """
    year, random, check = _split(text, prefix)
    return str(CertificateId(prefix, year, random, check))


def parse(text: str, *, prefix: str = DEFAULT_PREFIX) -> CertificateId:
    """The ID a person typed, normalised and checked.

    Raises `MalformedId` (not the shape of an ID) or `CheckMismatch` (probably a typo).
    """
    year, random, check = _split(text, prefix)
    found = CertificateId(prefix, year, random, check)
    if _fold(year + random + check) != 0:
        raise CheckMismatch(str(found))
    return found


def _split(text: str, prefix: str) -> tuple[str, str, str]:
    """(year, random part, check character) of a typed ID, in canonical characters."""
    _check_prefix(prefix)
    compact = _SEPARATORS.sub("", text).upper().translate(_READS_AS)
    typed_prefix = prefix.translate(_READS_AS)
    body = compact.removeprefix(typed_prefix)
    shape = f"{prefix}-YYYY-XXXX-XXXX-C"
    if not body[:4].isascii() or not body[:4].isdigit():
        raise _malformed(
            f"expected {shape}: the prefix {prefix} then the year in four digits",
            f"seharusnya {shape}: awalan {prefix} lalu tahun empat angka",
        )
    foreign = sorted({char for char in body[4:] if char not in _VALUE})
    if foreign:
        shown = " ".join(foreign)
        raise _malformed(
            f"{shown}: not used in certificate IDs (expected {shape})",
            f"{shown}: tidak dipakai dalam ID sertifikat (seharusnya {shape})",
        )
    random = body[4:-1]
    if not MIN_RANDOM_CHARS <= len(random) <= MAX_RANDOM_CHARS:
        raise _malformed(
            f"expected {shape}: {len(body) - 4} characters after the year, at least {MIN_RANDOM_CHARS + 1}",
            f"seharusnya {shape}: {len(body) - 4} karakter setelah tahun, paling sedikit {MIN_RANDOM_CHARS + 1}",
        )
    return body[:4], random, body[-1]


def _malformed(en: str, id_: str) -> MalformedId:
    return MalformedId(Text(en=f"not a certificate ID: {en}", id=f"bukan ID sertifikat: {id_}"))


def _check_prefix(prefix: str) -> None:
    if not _PREFIX_SHAPE.fullmatch(prefix) or not set(prefix) - set("ILO"):
        raise ValueError(
            f"certificate ID prefix must be 1 to 8 letters A-Z, not all of them I, L or O "
            f"(which read as digits), got {prefix!r}"
        )


def _times_x(element: int) -> int:
    """Multiply by x in GF(2)[x]/(x^5 + x^2 + 1)."""
    element <<= 1
    return element ^ _MODULUS if element & 0b100000 else element


DAMM_TABLE: Final = tuple(tuple(_times_x(row ^ column) for column in range(32)) for row in range(32))
"""Damm's table: the quasigroup `c o v = x * (c XOR v)`, a totally anti-symmetric Latin square."""


def _fold(symbols: str) -> int:
    """Damm's fold: `c <- c o v` for each symbol's value `v`, from `c = 0`."""
    interim = 0
    for symbol in symbols:
        interim = DAMM_TABLE[interim][_VALUE[symbol]]
    return interim
