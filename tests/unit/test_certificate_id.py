"""Certificate IDs: shape, check character, normalisation of what people type."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from certify.core.certificate_id import (
    ALPHABET,
    DAMM_TABLE,
    CertificateId,
    CertificateIdError,
    CheckMismatch,
    MalformedId,
    new_certificate_id,
    normalise,
    parse,
)

EXAMPLE = "IDC-2026-7KQ3-9XHD-V"


def _sample(count: int, *, random_bits: int = 40, seed: int = 2026) -> list[CertificateId]:
    chooser = random.Random(seed)
    return [
        new_certificate_id(chooser.randint(2000, 2099), random_bits=random_bits, rng=chooser.getrandbits)
        for _ in range(count)
    ]


def _covered(certificate_id: CertificateId) -> str:
    """The symbols the check covers: year, random part, check character."""
    return certificate_id.year + certificate_id.random + certificate_id.check


def _typed(prefix: str, covered: str) -> str:
    """An ID as typed from its covered symbols, hyphenated like the canonical form."""
    return f"{prefix}-{covered[:4]}-{covered[4:-1]}-{covered[-1]}"


def _expected_error(covered: str) -> type[CertificateIdError]:
    """A letter in the year breaks the shape; anything else is a check mismatch."""
    return CheckMismatch if covered[:4].isdigit() else MalformedId


def _undetected(typos: list[str]) -> list[str]:
    """The typos (covered symbols) that parse, or are refused for the wrong reason."""
    missed = []
    for typo in typos:
        try:
            parse(_typed("IDC", typo))
        except CertificateIdError as refused:
            if type(refused) is not _expected_error(typo):
                missed.append(typo)
        else:
            missed.append(typo)
    return missed


def test_the_check_table_is_a_totally_anti_symmetric_quasigroup() -> None:
    """The proof for every ID, not only sampled ones (Damm): a Latin square catches every single
    substitution; (c∘x)∘y = (c∘y)∘x only when x = y catches every adjacent transposition."""
    symbols = range(32)
    assert all(sorted(row) == list(symbols) for row in DAMM_TABLE)
    assert all(sorted(DAMM_TABLE[r][c] for r in symbols) == list(symbols) for c in symbols)
    assert all(DAMM_TABLE[x][x] == 0 for x in symbols)
    clashes = [
        (c, x, y)
        for c in symbols
        for x in symbols
        for y in symbols
        if x != y and DAMM_TABLE[DAMM_TABLE[c][x]][y] == DAMM_TABLE[DAMM_TABLE[c][y]][x]
    ]
    assert clashes == []


@pytest.mark.parametrize(("random_bits", "count"), [(40, 200), (130, 50)])
def test_every_single_substitution_is_caught(random_bits: int, count: int) -> None:
    """Over a sample of IDs, replacing any one character by any other symbol never parses."""
    typos = []
    for certificate_id in _sample(count, random_bits=random_bits):
        covered = _covered(certificate_id)
        for position, original in enumerate(covered):
            for symbol in ALPHABET.replace(original, ""):
                typos.append(covered[:position] + symbol + covered[position + 1 :])
    assert len(typos) == count * len(covered) * 31
    assert _undetected(typos) == []


@pytest.mark.parametrize("random_bits", [40, 130])
def test_every_adjacent_transposition_is_caught(random_bits: int) -> None:
    """Over 200 IDs, swapping any two neighbouring different characters never parses."""
    typos = []
    for certificate_id in _sample(200, random_bits=random_bits):
        covered = _covered(certificate_id)
        for i in range(len(covered) - 1):
            if covered[i] != covered[i + 1]:
                typos.append(covered[:i] + covered[i + 1] + covered[i] + covered[i + 2 :])
    assert len(typos) > 200 * (len(covered) - 1) * 0.9  # few neighbours are equal
    assert _undetected(typos) == []


def test_every_transposition_at_any_distance_is_caught() -> None:
    """Over 200 IDs, swapping any two different characters, near or far, never parses."""
    typos = []
    for certificate_id in _sample(200):
        covered = _covered(certificate_id)
        for i in range(len(covered)):
            for j in range(i + 1, len(covered)):
                if covered[i] != covered[j]:
                    swapped = list(covered)
                    swapped[i], swapped[j] = swapped[j], swapped[i]
                    typos.append("".join(swapped))
    assert _undetected(typos) == []


def test_the_exhaustive_check_would_notice_an_undetected_typo() -> None:
    """The checker of the tests above reports a typo that parses (here: no typo at all)."""
    certificate_id = _sample(1)[0]
    assert _undetected([_covered(certificate_id)]) == [_covered(certificate_id)]


def test_a_new_id_has_the_prefix_the_year_forty_random_bits_and_a_check() -> None:
    """The random part is the base32 of the random number, grouped in fours."""
    assert str(new_certificate_id(2026, rng=lambda bits: 0)) == "IDC-2026-0000-0000-D"
    highest = new_certificate_id(2026, rng=lambda bits: (1 << bits) - 1)
    assert highest.random == "ZZZZZZZZ"
    asked: list[int] = []

    def remembering(bits: int) -> int:
        asked.append(bits)
        return 0

    new_certificate_id(2026, rng=remembering)
    assert asked == [40]


def test_the_random_part_grows_with_the_bits_asked_for() -> None:
    """45 bits make nine random characters; the groups stay of four."""
    longer = new_certificate_id(2027, prefix="BSN", random_bits=45, rng=lambda bits: 0)
    assert str(longer) == f"BSN-2027-0000-0000-0-{longer.check}"
    assert parse(str(longer), prefix="BSN") == longer


def test_ids_from_the_system_random_source_differ() -> None:
    """Without a given rng, IDs come from `secrets` and do not repeat."""
    ids = {str(new_certificate_id(2026)) for _ in range(1000)}
    assert len(ids) == 1000


@pytest.mark.parametrize("year", [999, 10000, 26, -2026])
def test_a_year_that_is_not_four_digits_is_refused(year: int) -> None:
    """The year part of an ID is always four digits; no ID is made for another year."""
    with pytest.raises(ValueError, match=f"year must have four digits, got {year}"):
        new_certificate_id(year, rng=lambda bits: 0)


@pytest.mark.parametrize("year", [1000, 9999])
def test_the_first_and_last_four_digit_years_make_ids(year: int) -> None:
    """Both ends of the range are allowed, and the ID parses back."""
    made = new_certificate_id(year, rng=lambda bits: 0)
    assert made.year == str(year)
    assert parse(str(made)) == made


@pytest.mark.parametrize("random_bits", [35, 42, 135, 0])
def test_fewer_than_forty_bits_or_bits_that_do_not_fill_characters_are_refused(
    random_bits: int,
) -> None:
    """Random bits must be a multiple of five from 40 to 130."""
    with pytest.raises(ValueError, match="random_bits"):
        new_certificate_id(2026, random_bits=random_bits)


def test_a_random_source_that_returns_too_many_bits_is_refused() -> None:
    """An rng that breaks its contract is an error, not a silently truncated ID."""
    with pytest.raises(ValueError, match="rng"):
        new_certificate_id(2026, rng=lambda bits: 1 << bits)


@pytest.mark.parametrize("prefix", ["", "idc", "IDC1", "TOOLONGPREFIX", "OIL"])
def test_a_prefix_that_is_not_letters_or_reads_as_digits_is_refused(prefix: str) -> None:
    """The prefix is 1-8 letters, not all of them I, L or O."""
    with pytest.raises(ValueError, match="prefix"):
        new_certificate_id(2026, prefix=prefix)


@pytest.mark.parametrize(
    "typed",
    [
        "IDC-2026-7KQ3-9XHD-V",
        "idc-2026-7kq3-9xhd-v",
        "IDC 2026 7KQ3 9XHD V",
        "  IDC20267KQ39XHDV  ",
        "IDC–2026—7KQ3‐9XHD-V",  # dashes a phone keyboard puts in
        "IDC-2O26-7KQ3-9XHD-V",  # O read as 0
        "1DC-2026-7KQ3-9XHD-V",  # the prefix typed with a one
        "ldc 2026-7kq3 9xhd v",  # l read as 1, in the prefix too
        "2026-7KQ3-9XHD-V",  # prefix left out
        "IDC-2026-7KQ-39XHD-V",  # hyphens in the wrong places
    ],
)
def test_what_people_type_normalises_to_the_printed_form(typed: str) -> None:
    """Case, spaces, hyphens and dashes are ignored; O is 0; I and L are 1."""
    assert normalise(typed) == EXAMPLE
    assert str(parse(typed)) == EXAMPLE


def test_i_and_l_read_as_one_and_o_as_zero_in_the_random_part() -> None:
    """Letters Crockford leaves out are read as the digits they look like."""
    certificate_id = new_certificate_id(2026, rng=lambda bits: int("10101010", 32))
    assert str(certificate_id).startswith("IDC-2026-1010-1010-")
    typed = f"IDC-2026-IOLO-lOio-{certificate_id.check}"
    assert parse(typed) == certificate_id


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("", "year"),
        ("hello", "year"),
        ("ABC-2026-7KQ3-9XHD-V", "year"),  # another registry's prefix
        ("IDC-26-7KQ3-9XHD-V", "year"),
        ("IDC-2026-7KQ3-9XH-V", "characters after the year"),  # a character left out
        ("IDC-2026-7KQ3-9XHU-V", "U"),  # U is not in the alphabet
        ("IDC-2026-7KQ3-9XH*-V", r"\*"),
        ("IDC-2026-7KQ3-9XHD-V-" + "0" * 30, "characters after the year"),
        ("IDC-２０２６-7KQ3-9XHD-V", "year"),  # full-width digits are not ASCII digits
    ],
)
def test_text_that_is_not_the_shape_of_an_id_is_malformed(typed: str, why: str) -> None:
    """A malformed ID is told apart from a typo, and says what is wrong."""
    with pytest.raises(MalformedId, match=why) as refused:
        parse(typed)
    assert refused.value.text.id.startswith("bukan ID sertifikat")


def test_a_typo_says_the_check_character_does_not_match_in_both_languages() -> None:
    """A well-formed ID with a wrong check character is probably a typo."""
    with pytest.raises(CheckMismatch) as refused:
        parse("idc 2026 7kq3 9xhd p")
    assert refused.value.canonical == "IDC-2026-7KQ3-9XHD-P"
    assert "probably a typo" in refused.value.text.en
    assert "salah ketik" in refused.value.text.id


def test_normalise_does_not_check_the_check_character() -> None:
    """Normalising is formatting; checking is `parse`."""
    assert normalise("idc20267kq39xhdp") == "IDC-2026-7KQ3-9XHD-P"
    with pytest.raises(CheckMismatch):
        parse("idc20267kq39xhdp")


def test_a_registry_with_another_prefix_refuses_ids_of_this_one() -> None:
    """The prefix is not covered by the check: a wrong prefix is a malformed ID."""
    assert str(parse("BSN-2026-7KQ3-9XHD-V", prefix="BSN")) == "BSN-2026-7KQ3-9XHD-V"
    with pytest.raises(MalformedId):
        parse(EXAMPLE, prefix="BSN")


@settings(max_examples=300)
@given(
    year=st.integers(1000, 9999),
    number=st.integers(min_value=0),
    characters=st.integers(8, 26),
    prefix=st.from_regex(r"[A-HJKMNP-Z]{1,8}", fullmatch=True),
)
def test_every_generated_id_parses_back_to_itself(year: int, number: int, characters: int, prefix: str) -> None:
    """str → parse is the identity, also lower-cased and without hyphens."""
    bits = 5 * characters
    certificate_id = new_certificate_id(year, prefix=prefix, random_bits=bits, rng=lambda n: number % (1 << n))
    assert parse(str(certificate_id), prefix=prefix) == certificate_id
    sloppy = str(certificate_id).lower().replace("-", " ").replace("0", "o")
    assert parse(sloppy, prefix=prefix) == certificate_id
