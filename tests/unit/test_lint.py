"""Linting a standard built in memory: each inconsistency pydantic cannot see is reported with its
message, the path into the file and the criterion at fault, and nothing else is reported with it.
(tests/integration/test_rulebook.py shows the same messages as a file's lines.)"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from certify.core.compiled import titled_facts
from certify.core.errors import Problem
from certify.core.lint import lint
from certify.core.standard import Standard
from certify.core.tally import MAX_WEIGHT
from certify.core.text import Text
from tests.strategies import Data, criterion, pass_fail, product_category, ranged, standard_dict, text, titled

GREY_SCALE = ranged("rating", [(1, 2.5, 0), (3, 3.5, 60), (4, 5, 100)], minimum=1, maximum=5, step=0.5)
MEASURE = ("criteria", 1, "measure")  # where FIN-01's measure is in the file
BANDS = (*MEASURE, "bands")
GRADES = [
    {"id": "utama", "title": text("premium"), "from": 85, "to": 100},
    {"id": "baik", "title": text("good"), "from": 70, "to": 84.9},
]


def _data(fin_01: Data | None = None, **changes: Any) -> Data:
    """A clean standard (MAT-01, FIN-01 on the grey scale, PKG-01), with FIN-01's measure or any
    top-level key replaced."""
    return standard_dict(
        [
            criterion("MAT-01", "materials", pass_fail()),
            criterion("FIN-01", "finish", GREY_SCALE if fin_01 is None else fin_01),
            criterion("PKG-01", "packaging", pass_fail()),
        ],
        **changes,
    )


def _problems(data: Data) -> list[Problem]:
    return lint(Standard.model_validate(data))


def _categories(**weights: int) -> dict[str, Data]:
    return {name: {"weight": weight} for name, weight in weights.items()}


def _fact(kind: str, *values: str) -> Data:
    return {"type": kind, "title": text(f"a {kind} fact"), "values": list(values), "value_titles": titled(list(values))}


def test_the_standard_these_tests_break_lints_clean() -> None:
    """Each test below breaks one thing of a standard that has no problem of its own."""
    assert _problems(_data()) == []


# --- facts ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "facts",
    [
        pytest.param({"market": _fact("enum", "domestic", "export")}, id="not declared"),
        pytest.param({"product_category": _fact("set", "bowl", "plate")}, id="declared as a set"),
    ],
)
def test_a_standard_must_declare_the_products_it_covers_as_an_enum_fact(facts: dict[str, Data]) -> None:
    """Without an enum fact `product_category` nobody can tell which products the standard covers."""
    assert _problems(_data(facts=facts)) == [
        Problem("declare the enum fact 'product_category': the products covered", ("facts",))
    ]


@pytest.mark.parametrize("kind", ["enum", "set"])
def test_an_enum_or_set_fact_without_values_is_reported(kind: str) -> None:
    """A fact an inspection must pick from needs something to pick."""
    facts = {"product_category": product_category(), "colours": _fact(kind)}
    assert _problems(_data(facts=facts)) == [
        Problem(f"{kind} fact 'colours' needs a list of values", ("facts", "colours"))
    ]


@pytest.mark.parametrize("kind", ["bool", "number"])
def test_a_bool_or_number_fact_with_values_is_reported_at_its_values(kind: str) -> None:
    """Values on a yes/no or numeric fact would be silently meaningless, so they are refused."""
    facts = {"product_category": product_category(), "odd": _fact(kind, "small", "large")}
    assert _problems(_data(facts=facts)) == [Problem(f"{kind} fact 'odd' takes no values", ("facts", "odd", "values"))]


def test_a_value_listed_twice_in_a_fact_is_named() -> None:
    """Every repeated value is named once, in order, at the fact's values."""
    facts = {"product_category": product_category("plate", "bowl", "plate", "cup", "bowl", "bowl")}
    assert _problems(_data(facts=facts)) == [
        Problem("fact 'product_category' lists bowl, plate twice", ("facts", "product_category", "values"))
    ]


def test_a_value_without_a_title_in_both_languages_is_named() -> None:
    """A person reads a value by its title ("katun", not `cotton`): every value needs one."""
    fact = _fact("set", "cotton", "silk")
    del fact["value_titles"]["silk"]
    facts = {"product_category": product_category(), "fibres": fact}
    assert _problems(_data(facts=facts)) == [
        Problem("value 'silk' of fact 'fibres' has no title {en, id}", ("facts", "fibres", "values"))
    ]


def test_a_title_half_written_is_refused_by_the_model() -> None:
    """A title has both languages, neither empty."""
    fact = _fact("enum", "cotton")
    fact["value_titles"]["cotton"] = {"en": "cotton"}
    with pytest.raises(ValidationError):
        Standard.model_validate(_data(facts={"product_category": product_category(), "fibre": fact}))


def test_a_title_for_a_value_the_fact_does_not_have_is_named() -> None:
    fact = _fact("enum", "cotton")
    fact["value_titles"]["cottn"] = text("cotton")
    facts = {"product_category": product_category(), "fibre": fact}
    assert _problems(_data(facts=facts)) == [
        Problem(
            "fact 'fibre' titles 'cottn', which is not one of its values", ("facts", "fibre", "value_titles", "cottn")
        )
    ]


def test_titles_longer_than_a_page_shows_are_named() -> None:
    """Value and craft titles are at most 100 characters in each language."""
    fact = _fact("enum", "cotton")
    fact["value_titles"]["cotton"] = {"en": "cotton", "id": "k" * 101}
    data = _data(facts={"product_category": product_category(), "fibre": fact}, crafts={"batik": text("b" * 101)})
    limit = "a title is at most 100 characters in each language"
    assert _problems(data) == [
        Problem(f"value 'cotton' of fact 'fibre': {limit}", ("facts", "fibre", "value_titles", "cotton")),
        Problem(f"craft 'batik': {limit}", ("crafts", "batik")),
    ]


def test_a_value_the_file_leaves_untitled_takes_a_shared_title() -> None:
    """A published file pinned by its hash is titled from outside it, and lints clean then."""
    fact = _fact("enum", "cotton")
    del fact["value_titles"]
    standard = Standard.model_validate(_data(facts={"product_category": product_category(), "fibre": fact}))
    assert standard.value_title("fibre", "cotton") is None
    assert standard.value_title("nothing", "cotton") is None
    standard.share_titles({"fibre": {"cotton": Text(en="cotton", id="katun")}})
    assert standard.value_title("fibre", "cotton") == Text(en="cotton", id="katun")
    assert lint(standard) == []
    # and a condition on it reads in words: the compiled facts carry the shared titles
    assert titled_facts(standard)["fibre"].value_titles == {"cotton": Text(en="cotton", id="katun")}


def test_a_unit_without_an_indonesian_name_is_named() -> None:
    measure = ranged("measurement", [(0, 10, 0), (11, 100, 100)], maximum=100, unit="furlongs")
    assert _problems(_data(fin_01=measure)) == [
        Problem(
            "unit 'furlongs' has no Indonesian name (certify.core.explain.UNITS)",
            ("criteria", 1, "measure", "unit"),
            "FIN-01",
        )
    ]


# --- categories -----------------------------------------------------------------------------------


def test_a_category_left_out_of_the_categories_is_reported() -> None:
    """Every category needs its weight in the total, even when the others add up to 100."""
    categories = _categories(materials=50, finish=50)
    assert _problems(_data(categories=categories)) == [Problem("category 'packaging' is missing", ("categories",))]


def test_a_category_without_a_criterion_is_reported_at_that_category() -> None:
    """A weighted category that nothing measures could never be scored."""
    data = standard_dict([criterion("MAT-01", "materials", pass_fail()), criterion("PKG-01", "packaging", pass_fail())])
    assert _problems(data) == [Problem("category 'finish' has no criterion", ("categories", "finish"))]


@pytest.mark.parametrize("weight", [0, -10])
def test_a_category_weight_that_is_not_positive_is_reported(weight: int) -> None:
    """A category must count for something; the total of 100 is checked as well."""
    categories = _categories(materials=50, finish=50 - weight, packaging=weight)
    assert _problems(_data(categories=categories)) == [
        Problem(f"weight of 'packaging' must be positive, not {weight}", ("categories", "packaging", "weight"))
    ]


def test_category_weights_that_do_not_add_up_to_100_are_reported_with_their_sum() -> None:
    """The weights are percentages of the total score."""
    categories = _categories(materials=50, finish=30, packaging=25)
    assert _problems(_data(categories=categories)) == [
        Problem("category weights add up to 105, not 100", ("categories",))
    ]


# --- grades ---------------------------------------------------------------------------------------


def test_a_grade_named_twice_is_reported() -> None:
    """Two grades of one id: the certificate could not say which one was meant."""
    grades = [*GRADES, {"id": "baik", "title": text("fair"), "from": 60, "to": 69.9}]
    assert _problems(_data(grades=grades)) == [Problem("duplicate grade 'baik'", ("grades",))]


def test_a_grade_that_ends_before_it_starts_is_reported_at_its_place_in_the_file() -> None:
    """The path is the grade's index as written, not its place in score order."""
    grades = [GRADES[0], {"id": "kurang", "title": text("poor"), "from": 69.9, "to": 60}, GRADES[1]]
    problems = _problems(_data(grades=grades))
    assert Problem("grade 'kurang' 69.9-60 is not a range within 0-100", ("grades", 1)) in problems


def test_a_grade_that_starts_below_0_is_the_only_problem_when_its_neighbours_meet() -> None:
    """A negative start, its end one tenth below the next grade: nothing else is wrong."""
    grades = [GRADES[0], {"id": "kurang", "title": text("poor"), "from": -10, "to": 69.9}, GRADES[1]]
    assert _problems(_data(grades=grades)) == [
        Problem("grade 'kurang' -10-69.9 is not a range within 0-100", ("grades", 1))
    ]


def test_grades_that_stop_short_of_100_are_reported() -> None:
    """A perfect total must earn a grade."""
    grades = [{**GRADES[0], "to": 99.9}, GRADES[1]]
    assert _problems(_data(grades=grades)) == [Problem("the highest grade must reach 100", ("grades",))]


@pytest.mark.parametrize(
    ("baik_to", "message"),
    [
        (85, "grade from 85 overlaps the grade 70-85"),
        (84, "grades leave a gap between 84 and 85 (step 0.1)"),
    ],
)
def test_grades_that_overlap_or_leave_a_gap_are_reported_at_the_higher_grade(baik_to: float, message: str) -> None:
    """Grades are tenths of the total: the next starts one tenth after the last ends."""
    grades = [GRADES[0], {**GRADES[1], "to": baik_to}]
    assert _problems(_data(grades=grades)) == [Problem(message, ("grades", 0))]


# --- criteria -------------------------------------------------------------------------------------


def test_a_criterion_id_used_twice_is_reported_for_each_use() -> None:
    """Both criteria are named: either may be the typo."""
    data = _data()
    data["criteria"].append(criterion("MAT-01", "materials", pass_fail()))
    assert _problems(data) == [
        Problem("duplicate criterion id 'MAT-01'", ("criteria", 0, "id"), "MAT-01"),
        Problem("duplicate criterion id 'MAT-01'", ("criteria", 3, "id"), "MAT-01"),
    ]


@pytest.mark.parametrize(
    ("weight", "message"),
    [
        (0, "weight must be positive, not 0"),
        (-1, "weight must be positive, not -1"),
        (MAX_WEIGHT + 1, f"weight must be at most {MAX_WEIGHT}, not {MAX_WEIGHT + 1}"),
    ],
)
def test_a_criterion_weight_must_be_positive_and_at_most_the_maximum(weight: int, message: str) -> None:
    """The weight is reported at the criterion, with the criterion's id."""
    data = _data()
    data["criteria"][2]["weight"] = weight
    assert _problems(data) == [Problem(message, ("criteria", 2, "weight"), "PKG-01")]


def test_the_largest_criterion_weight_is_accepted() -> None:
    """The maximum itself is allowed: the limit is inclusive."""
    data = _data()
    data["criteria"][2]["weight"] = MAX_WEIGHT
    assert _problems(data) == []


def test_a_condition_on_an_undeclared_fact_is_reported_at_the_condition() -> None:
    """Conditions are checked against the declared facts, with the criterion named."""
    data = _data()
    data["criteria"][2]["applies_when"] = {"fact": "market", "op": "eq", "value": "export"}
    assert _problems(data) == [
        Problem("condition on undeclared fact 'market'", ("criteria", 2, "applies_when", "fact"), "PKG-01")
    ]


# --- scales and bands -----------------------------------------------------------------------------


@pytest.mark.parametrize("maximum", [1, 0.5])
def test_a_scale_whose_maximum_is_not_above_its_minimum_is_reported_alone(maximum: float) -> None:
    """Nothing else about the bands is checked against a scale that has no room."""
    measure = ranged("rating", [(1, 2.5, 0), (3, 5, 100)], minimum=1, maximum=maximum, step=0.5)
    assert _problems(_data(measure)) == [
        Problem(f"scale maximum {maximum} is not above its minimum 1", MEASURE, "FIN-01")
    ]


@pytest.mark.parametrize(
    "measure",
    [
        pytest.param(ranged("count", [(1, 2, 100), (3, None, 0)], better="lower", minimum=1), id="from 1"),
        pytest.param(ranged("count", [(0, 0, 100), (2, None, 0)], better="lower", step=2), id="by 2"),
    ],
)
def test_a_count_must_start_at_0_and_step_by_1(measure: Data) -> None:
    """Defects are counted one by one from none."""
    assert _problems(_data(measure)) == [Problem("a count starts at 0 and steps by 1", MEASURE, "FIN-01")]


def test_a_band_that_ends_before_it_starts_is_reported_at_that_band() -> None:
    """An empty band earns nothing for any value: it is a mistake, even between well-joined bands."""
    measure = ranged("measurement", [(0, 4, 0), (5, 4, 50), (5, 10, 100)], maximum=10)
    assert _problems(_data(measure)) == [Problem("band 5-4 ends before it starts", (*BANDS, 1), "FIN-01")]


def test_each_band_off_the_scales_step_is_reported_at_its_own_place() -> None:
    """A value on the scale could never reach an edge that is between two steps."""
    measure = ranged("measurement", [(3.5, 10, 100), (0, 2.5, 0)], maximum=10)
    assert _problems(_data(measure)) == [
        Problem("band 0-2.5 is not on the scale's step 1", (*BANDS, 1), "FIN-01"),
        Problem("band 3.5-10 is not on the scale's step 1", (*BANDS, 0), "FIN-01"),
    ]


@pytest.mark.parametrize(
    ("bands", "message", "at"),
    [
        pytest.param([(1, 3, 0), (3, 5, 100)], "band from 3 overlaps the band 1-3", 1, id="overlap"),
        pytest.param([(1, 2, 0), (4, 5, 100)], "bands leave a gap between 2 and 4 (step 0.5)", 1, id="gap"),
        pytest.param(
            [(3, 5, 100), (1, None, 0)], "band from 1 is open-ended but another band follows it", 0, id="open-ended"
        ),
    ],
)
def test_bands_that_do_not_meet_exactly_are_reported_at_the_higher_band(
    bands: list[tuple[float, float | None, int]], message: str, at: int
) -> None:
    """Bands in value order must join: the next starts one step after the last ends."""
    measure = ranged("rating", bands, minimum=1, maximum=5, step=0.5)
    assert _problems(_data(measure)) == [Problem(message, (*BANDS, at), "FIN-01")]


def test_bands_that_start_above_the_scales_minimum_are_reported() -> None:
    """A value at the bottom of the scale would fall in no band."""
    measure = ranged("rating", [(2, 2.5, 0), (3, 5, 100)], minimum=1, maximum=5, step=0.5)
    assert _problems(_data(measure)) == [Problem("bands start at 2, not at the scale's minimum 1", BANDS, "FIN-01")]


@pytest.mark.parametrize(
    ("last_to", "message"),
    [
        pytest.param(4.5, "bands end at 4.5, not at the scale's maximum 5", id="short"),
        pytest.param(None, "bands end at None, not at the scale's maximum 5", id="open-ended on a closed scale"),
    ],
)
def test_bands_that_do_not_end_at_the_scales_maximum_are_reported(last_to: float | None, message: str) -> None:
    """A value at the top of the scale must fall in a band, and a closed scale has a last band."""
    measure = ranged("rating", [(1, 2.5, 0), (3, last_to, 100)], minimum=1, maximum=5, step=0.5)
    assert _problems(_data(measure)) == [Problem(message, BANDS, "FIN-01")]


def test_open_ended_bands_on_an_open_ended_scale_lint_clean() -> None:
    """A count with no top: the last band has no end either, and that is right."""
    measure = ranged("count", [(0, 0, 100), (1, None, 0)], better="lower")
    assert _problems(_data(measure)) == []


@pytest.mark.parametrize(
    ("better", "points"),
    [pytest.param("higher", (100, 0), id="higher is better"), pytest.param("lower", (0, 100), id="lower is better")],
)
def test_points_that_fall_as_the_value_gets_better_are_reported(better: str, points: tuple[int, int]) -> None:
    """A better product must never earn fewer points; the message says which way is better."""
    measure = ranged("measurement", [(0, 4, points[0]), (5, 10, points[1])], better=better, maximum=10)
    assert _problems(_data(measure)) == [
        Problem(f"points fall as the value gets better ({better} is better)", BANDS, "FIN-01")
    ]


def test_a_criterion_no_band_of_which_reaches_its_pass_mark_is_reported() -> None:
    """A criterion that nobody could pass: the pass mark is named."""
    data = _data()
    data["criteria"][1]["pass_points"] = 100
    data["criteria"][1]["measure"] = ranged("rating", [(1, 2.5, 0), (3, 5, 90)], minimum=1, maximum=5, step=0.5)
    assert _problems(data) == [Problem("no band reaches the 100 points needed to pass", BANDS, "FIN-01")]


def test_a_pass_mark_that_the_best_band_reaches_exactly_lints_clean() -> None:
    """The best band's points equal to the pass mark is enough."""
    data = _data()
    data["criteria"][1]["pass_points"] = 90
    data["criteria"][1]["measure"] = ranged("rating", [(1, 2.5, 0), (3, 5, 90)], minimum=1, maximum=5, step=0.5)
    assert _problems(data) == []


def test_every_problem_of_a_standard_is_reported_at_once() -> None:
    """One lint run names problems of facts, categories, grades and criteria together."""
    data = _data(
        facts={"market": _fact("enum", "domestic")},
        categories=_categories(materials=50, finish=30, packaging=30),
        grades=[{**GRADES[0], "to": 99}, GRADES[1]],
    )
    data["criteria"][0]["weight"] = 0
    assert {problem.message for problem in _problems(data)} == {
        "declare the enum fact 'product_category': the products covered",
        "category weights add up to 110, not 100",
        "the highest grade must reach 100",
        "weight must be positive, not 0",
    }
