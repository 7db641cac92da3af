"""Parameters naming stored objects: positive 32-bit integers (in a path, a query or a form)."""

from typing import Annotated

from fastapi import Form, Path, Query

MAX_ID = 2**31 - 1

HolderId = Annotated[int, Path(ge=1, le=MAX_ID)]
ProductId = Annotated[int, Path(ge=1, le=MAX_ID)]
InspectionId = Annotated[int, Path(ge=1, le=MAX_ID)]
UserId = Annotated[int, Path(ge=1, le=MAX_ID)]
IdQuery = Annotated[int, Query(ge=1, le=MAX_ID)]
IdForm = Annotated[int, Form(ge=1, le=MAX_ID)]
