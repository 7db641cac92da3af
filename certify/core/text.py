"""Text a person reads, always in both languages."""

from pydantic import BaseModel, ConfigDict, Field


class Text(BaseModel):
    """A text in Indonesian (`id`) and English (`en`); neither may be empty."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    en: str = Field(min_length=1)
    id: str = Field(min_length=1)
