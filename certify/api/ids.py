"""Path parameters naming stored objects: positive 32-bit integers."""

from typing import Annotated

from fastapi import Path

MAX_ID = 2**31 - 1

HolderId = Annotated[int, Path(ge=1, le=MAX_ID)]
ProductId = Annotated[int, Path(ge=1, le=MAX_ID)]
InspectionId = Annotated[int, Path(ge=1, le=MAX_ID)]
