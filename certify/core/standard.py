"""A quality standard as data: the models a file in `rules/` is validated against.

Structure only; the checks that need the whole standard (bands, facts named in conditions,
examples) are in `certify.core.lint`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    WithJsonSchema,
    field_validator,
)

from certify.core.tally import MAX_CRITERIA
from certify.core.text import Text

Category = Literal["materials", "finish", "packaging"]
CATEGORIES: tuple[Category, ...] = ("materials", "finish", "packaging")
LEVELS = ("I", "II", "III", "S-1", "S-2", "S-3", "S-4")
AQLS = ("0.10", "0.15", "0.25", "0.40", "0.65", "1.0", "1.5", "2.5", "4.0", "6.5", "10")

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
CriterionId = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$", max_length=32)]
Number = int | float


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


# --- facts an inspection provides -------------------------------------------------------------


class Fact(Strict):
    """A fact about the product that an inspection states; conditions read facts."""

    type: Literal["enum", "set", "bool", "number"]
    title: Text
    values: tuple[Identifier, ...] = ()
    # Added in 2026.2: what each value reads as, in both languages (`cotton`: "cotton" / "katun").
    # Left out of the content hash while empty, so 2026.1 keeps its hash; its values are titled
    # from the shared table instead (`certify.rulebook.titles`).
    value_titles: dict[Identifier, Text] = {}
    minimum: Number | None = None
    maximum: Number | None = None


# --- applicability conditions -------------------------------------------------------------------


class Test(Strict):
    """`fact OP value`, e.g. `{fact: technique, op: in, value: [tulis, cap]}`."""

    fact: Identifier
    op: str
    value: Any = None


class AllOf(Strict):
    all: tuple[Condition, ...] = Field(min_length=1)


class AnyOf(Strict):
    any: tuple[Condition, ...] = Field(min_length=1)


class NotOf(Strict):
    not_: Condition = Field(alias="not")


def _condition_kind(value: Any) -> str:
    """Which form a condition takes, from its keys, so errors speak of that form alone."""
    if isinstance(value, dict):
        keys: Any = value.keys()
    elif isinstance(value, BaseModel):
        keys = vars(value).keys()
    else:
        return "test"  # not a condition at all: validated as a test, which says what it takes
    for key, tag in (("all", "all"), ("any", "any"), ("not", "not"), ("not_", "not")):
        if key in keys:
            return tag
    return "test"


Condition = Annotated[
    Annotated[Test, Tag("test")]
    | Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[NotOf, Tag("not")],
    Discriminator(_condition_kind),
]


# --- how a criterion is measured ------------------------------------------------------------------


class Band(Strict):
    """Measurements from `from` to `to` (both inclusive, at the scale's step) earn `points`."""

    from_: Number = Field(alias="from")
    to: Number | None = None
    points: int = Field(ge=0, le=100)


class PassFail(Strict):
    kind: Literal["pass_fail"]


class Ranged(Strict):
    """A value on a scale; bands of the scale earn points."""

    kind: Literal["rating", "measurement", "count"]
    unit: str = ""
    minimum: Number = 0
    maximum: Number | None = None
    step: Number = 1
    better: Literal["higher", "lower"]
    bands: tuple[Band, ...] = Field(min_length=1)

    @field_validator("step")
    @classmethod
    def _positive_step(cls, step: Number) -> Number:
        if step <= 0:
            raise ValueError("step must be positive")
        return step


Measure = Annotated[PassFail | Ranged, Field(discriminator="kind")]


# --- evidence a standard asks for ----------------------------------------------------------------


class CriterionEvidence(Strict):
    """What an inspection must attach for one criterion before a certificate can be issued."""

    photos: int = Field(default=0, ge=0, le=20, description="photos of what the criterion judges")
    lab_report: bool = Field(default=False, description="a laboratory's report on the measurement")
    max_age_months: int | None = Field(
        default=None, ge=1, le=120, description="the oldest a lab report may be at issuance, in months"
    )


class StandardEvidence(Strict):
    """What every inspection under the standard must attach, whatever applies."""

    lot_photos: int = Field(default=0, ge=0, le=20, description="photos of the lot inspected")


class Variant(Strict):
    """Bands that replace the criterion's own where `when` holds (e.g. a market's legal limit) and
    the inspection's date falls from `effective_from` to `effective_until` (both inclusive, either
    open). The first variant that matches is used; when none does, the criterion's own bands."""

    label: Text
    when: Condition | None = None
    effective_from: date | None = None
    effective_until: date | None = None
    source: str | None = None
    bands: tuple[Band, ...] = Field(min_length=1)


class Criterion(Strict):
    id: CriterionId
    category: Category
    title: Text
    guidance: Text
    source: str | None = None
    measure: Measure
    weight: int
    pass_points: int = Field(default=50, ge=0, le=100)
    knockout: bool = False
    optional: bool = False
    applies_when: Condition | None = None
    evidence: CriterionEvidence | None = None
    # Added in 2026.2; left out of the content hash while unset, so earlier standards hash as before.
    effective_from: date | None = None  # the criterion applies to inspections from this day
    effective_until: date | None = None  # ... up to and including this day
    variants: tuple[Variant, ...] = ()


# --- categories, grades, sampling, validity --------------------------------------------------------


class CategoryRule(Strict):
    weight: int
    minimum: Number = Field(default=0, ge=0, le=100)


class Grade(Strict):
    """A band of the total score (0-100, in tenths): `from` and `to` inclusive."""

    id: Identifier
    title: Text
    from_: Number = Field(alias="from")
    to: Number


# Files write an AQL as a number (`major_aql: 2.5`); the model keeps the table's spelling ("2.5").
Aql = Annotated[
    str,
    WithJsonSchema({"type": ["string", "number"], "description": f"an AQL of ISO 2859-1's table: {', '.join(AQLS)}"}),
]


class Sampling(Strict):
    """ISO 2859-1 normal inspection, single sampling; critical defects: none allowed."""

    level: Literal["I", "II", "III", "S-1", "S-2", "S-3", "S-4"] = "II"
    major_aql: Aql = "2.5"
    minor_aql: Aql = "4.0"

    @field_validator("major_aql", "minor_aql", mode="before")
    @classmethod
    def _known_aql(cls, value: object) -> str:
        try:
            wanted = Decimal(str(value))
        except ArithmeticError:
            raise ValueError(f"AQL {value!r} is not a number") from None
        for aql in AQLS:
            if Decimal(aql) == wanted:
                return aql
        raise ValueError(f"AQL {value} is not in ISO 2859-1's table (one of {', '.join(AQLS)})")


# --- the scheme: what keeps a certificate in force after issuance ----------------------------------


class Scheme(Strict):
    """How a standard's certificates live on (ISO/IEC 17065 §7.9): `lot` certificates cover the
    lot inspected and need no surveillance; `product` certificates need a surveillance inspection
    every `surveillance_months`, and are suspended automatically `grace_days` after one falls due
    without it. A standard without a scheme (every 2026.1 file) has none of this: its
    certificates are valid until they expire, as they always were."""

    type: Literal["lot", "product"]
    surveillance_months: int | None = Field(default=None, ge=1, le=60)
    grace_days: int = Field(default=0, ge=0, le=180)


# --- worked examples ------------------------------------------------------------------------------


Status = Literal["passed", "failed", "not_applicable", "not_assessed"]


class Expectation(Strict):
    certified: bool
    grade: Identifier | None = None
    criteria: dict[CriterionId, Status] = {}


class Example(Strict):
    name: str = Field(min_length=1)
    description: Text | None = None
    inspection: dict[str, Any]
    expect: Expectation


# --- the standard ---------------------------------------------------------------------------------


class Standard(Strict):
    id: Identifier
    version: str = Field(pattern=r"^[0-9]{4}\.[0-9]+$")
    title: Text
    description: Text
    facts: dict[Identifier, Fact]
    categories: dict[Category, CategoryRule]
    grades: tuple[Grade, ...] = Field(min_length=1)
    validity_months: int = Field(default=12, ge=1, le=120)
    sampling: Sampling = Sampling()
    evidence: StandardEvidence | None = None
    scheme: Scheme | None = None
    criteria: tuple[Criterion, ...] = Field(min_length=1, max_length=MAX_CRITERIA)
    examples: tuple[Example, ...] = ()
    # Added in 2026.2: the crafts (a workshop's `crafts`) the standard covers, with their titles.
    crafts: dict[Identifier, Text] = {}

    _compiled: Any = PrivateAttr(default=None)
    # Titles for values the file itself does not title (a published file pinned by its hash):
    # fact -> value -> title, given by the loader; never part of the content hash.
    _shared_titles: dict[str, dict[str, Text]] = PrivateAttr(default_factory=dict)

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def product_categories(self) -> tuple[str, ...]:
        fact = self.facts.get("product_category")
        return fact.values if fact else ()

    def share_titles(self, titles: dict[str, dict[str, Text]]) -> None:
        """Titles for the values this standard's file leaves untitled (fact -> value -> title)."""
        self._shared_titles = titles

    def value_title(self, fact: str, value: str) -> Text | None:
        """What `value` of `fact` reads as: the file's own title, else the shared one; None: untitled."""
        declared = self.facts.get(fact)
        own = declared.value_titles.get(value) if declared is not None else None
        return own if own is not None else self._shared_titles.get(fact, {}).get(value)


Variant.model_rebuild()
AllOf.model_rebuild()
AnyOf.model_rebuild()
NotOf.model_rebuild()
Criterion.model_rebuild()
