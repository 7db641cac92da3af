"""An inspection as the inspector submits it: facts, the lot, measurements, defects found."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr

FiniteFloat = Annotated[StrictFloat, Field(allow_inf_nan=False)]  # JSON parsers accept NaN and Infinity
FactValue = StrictBool | StrictInt | FiniteFloat | StrictStr | list[StrictStr]
MeasurementValue = StrictBool | StrictInt | FiniteFloat


class Lot(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    size: StrictInt = Field(ge=1, description="pieces in the lot")


class Defects(BaseModel):
    """Defects found in the ISO 2859-1 sample, counted per class."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    critical: StrictInt = Field(default=0, ge=0)
    major: StrictInt = Field(default=0, ge=0)
    minor: StrictInt = Field(default=0, ge=0)


class Inspection(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    facts: dict[str, FactValue]
    lot: Lot
    measurements: dict[str, MeasurementValue]
    defects: Defects = Defects()
