"""Bidi controls and invisible formatting characters are found and named; ordinary text in any
script passes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from certify.core.printable import invisible, refusal


def test_a_right_to_left_override_is_named() -> None:
    assert invisible("Batik \u202etulis") == ["U+202E RIGHT-TO-LEFT OVERRIDE"]


def test_each_kind_is_named_once_in_order() -> None:
    text = "a\u200bb\u2066c\u200bd\ufeff\u2028"
    assert invisible(text) == [
        "U+200B ZERO WIDTH SPACE",
        "U+2066 LEFT-TO-RIGHT ISOLATE",
        "U+FEFF ZERO WIDTH NO-BREAK SPACE",
        "U+2028 LINE SEPARATOR",
    ]


def test_the_refusal_names_the_field_and_the_characters_in_both_languages() -> None:
    said = refusal("product name", "Mangkuk\u202e")
    assert said is not None
    assert said.en.startswith("product name contains invisible formatting characters")
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in said.en and "U+202E RIGHT-TO-LEFT OVERRIDE" in said.id


def test_names_in_other_scripts_pass() -> None:
    for name in ("Tenun Ikat Sumba", "Ibu Siti Rahayu", "ꦧꦛꦶꦏ꧀", "بتيك", "Kerajinan « Émile »"):
        assert refusal("holder name", name) is None


@given(st.text(alphabet=st.characters(exclude_categories=("Cf", "Zl", "Zp", "Cs"))))
def test_text_without_those_categories_is_never_refused(text: str) -> None:
    assert invisible(text) == []
