"""An inspection as the inspector submits it: facts, the lot, measurements, defects found."""

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr

MAX_MAGNITUDE = 10**15
"""No number an inspector states is larger: a bound checked before any arithmetic."""
MAX_COUNT = 10_000_000
"""The most pieces a lot (or defects in a sample) may count."""
FiniteFloat = Annotated[StrictFloat, Field(allow_inf_nan=False)]  # JSON parsers accept NaN and Infinity
BoundedFloat = Annotated[FiniteFloat, Field(ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE)]
BoundedInt = Annotated[StrictInt, Field(ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE)]
FactValue = StrictBool | BoundedInt | BoundedFloat | StrictStr | list[StrictStr]
MeasurementValue = StrictBool | BoundedInt | BoundedFloat


class Lot(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    size: StrictInt = Field(ge=1, le=MAX_COUNT, description="pieces in the lot")


class Defects(BaseModel):
    """Defects found in the ISO 2859-1 sample, counted per class."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    critical: StrictInt = Field(default=0, ge=0, le=MAX_COUNT)
    major: StrictInt = Field(default=0, ge=0, le=MAX_COUNT)
    minor: StrictInt = Field(default=0, ge=0, le=MAX_COUNT)


class Inspection(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    facts: dict[str, FactValue]
    lot: Lot
    measurements: dict[str, MeasurementValue]
    defects: Defects = Defects()
    inspected_on: date | None = Field(
        default=None, description="the day of the inspection: selects the criteria and limits in force"
    )
