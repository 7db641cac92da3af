"""An inspection as the inspector submits it: facts, the lot, measurements, defects found."""

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr, model_validator

MAX_MAGNITUDE = 10**15
"""No number an inspector states is larger: a bound checked before any arithmetic."""
MAX_COUNT = 10_000_000
"""The most pieces a lot (or defects in a sample) may count."""
FiniteFloat = Annotated[StrictFloat, Field(allow_inf_nan=False)]  # JSON parsers accept NaN and Infinity
BoundedFloat = Annotated[FiniteFloat, Field(ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE)]
BoundedInt = Annotated[StrictInt, Field(ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE)]
FactValue = StrictBool | BoundedInt | BoundedFloat | StrictStr | list[StrictStr]
MeasurementValue = StrictBool | BoundedInt | BoundedFloat


LotCode = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]+$")]
"""The workshop's own batch or lot code, as printed on the certificate."""


class Lot(BaseModel):
    """The lot inspected. Scoring reads only its size; a submitted inspection must also name its
    code (`certify.services.models.LotCreate`), a worked example that only shows scoring need not."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    size: StrictInt = Field(ge=1, le=MAX_COUNT, description="pieces in the lot")
    code: LotCode | None = Field(default=None, description="the workshop's batch or lot code")
    description: str | None = Field(default=None, max_length=500, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$")
    produced_from: date | None = Field(default=None, description="first day of production")
    produced_until: date | None = Field(default=None, description="last day of production")

    @model_validator(mode="after")
    def _production_in_order(self) -> "Lot":
        if self.produced_from and self.produced_until and self.produced_until < self.produced_from:
            raise ValueError("produced_until is before produced_from")
        return self


class Defects(BaseModel):
    """Defects found in the ISO 2859-1 sample, counted per class: each count is stated, none is
    assumed 0 (missing data is never 0)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    critical: StrictInt = Field(ge=0, le=MAX_COUNT)
    major: StrictInt = Field(ge=0, le=MAX_COUNT)
    minor: StrictInt = Field(ge=0, le=MAX_COUNT)


class Inspection(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    facts: dict[str, FactValue]
    lot: Lot
    measurements: dict[str, MeasurementValue]
    defects: Defects
    inspected_on: date | None = Field(
        default=None, description="the day of the inspection: selects the criteria and limits in force"
    )
