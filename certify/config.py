"""All configuration: one settings class read from `CERTIFY_*` environment variables.

    CERTIFY_DATA_DIR        where certify keeps its files (SQLite database, keys). Default: `./data`,
                            relative to the directory the service is started from.
    CERTIFY_DATABASE_URL    default `sqlite:///<DATA_DIR>/certify.db`; for PostgreSQL
                            `postgresql+psycopg://user:password@host:5432/certify`.
    CERTIFY_MAX_BODY_BYTES  request bodies above this answer 413 (default 1 MiB).
    CERTIFY_POOL_SIZE       database connections kept per process (default 40: one per thread of
                            the server's thread pool, so a request never waits for a connection).
    CERTIFY_PUBLIC_URL      the address buyers reach the service at (default http://127.0.0.1:8000).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CERTIFY_", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str | None = None
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    pool_size: int = Field(default=40, ge=1)
    public_url: str = "http://127.0.0.1:8000"

    @property
    def database(self) -> str:
        """The database URL in force: the configured one, else a SQLite file in the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'certify.db').resolve()}"


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The settings of this process, read once from the environment."""
    return Settings()
