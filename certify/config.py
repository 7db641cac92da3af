"""All configuration: one settings class read from `CERTIFY_*` environment variables.

CERTIFY_DATA_DIR        where certify keeps its files (SQLite database, keys). Default: `./data`,
                        relative to the directory the service is started from.
CERTIFY_DATABASE_URL    default `sqlite:///<DATA_DIR>/certify.db`; for PostgreSQL
                        `postgresql+psycopg://user:password@host:5432/certify`.
CERTIFY_MAX_BODY_BYTES  request bodies above this answer 413 (default 1 MiB).
CERTIFY_POOL_SIZE       database connections kept per process (default 40: one per thread of
                        the server's thread pool, so a request never waits for a connection).
CERTIFY_PUBLIC_URL      the address buyers reach the service at, printed in every certificate's
                        QR code (default http://127.0.0.1:PORT, PORT that of `certify serve`).
CERTIFY_KEY_DIR         the signing keys and the PDF-signing CA (default `<DATA_DIR>/keys`;
                        created on first start, files 0600).
CERTIFY_SIGNING_KEYS    the signing key ring as a secret (`certify keys export-secret`), for
                        several machines without a shared key directory; read-only.
CERTIFY_ISSUER_NAME     the certification body named on certificates, in signed records and in
                        the PDF-signing CA. `certify serve` refuses to start without it, except
                        on the demo's keys (`certify demo`), which name a demo body.
CERTIFY_RENDER_WORKERS  processes rendering certificate PDFs (default 2; 0 renders in the
                        request's own thread, for tests and one-off commands).
CERTIFY_VERIFY_MAX_BYTES  the largest PDF `POST /api/v1/verify` reads (default 10 MiB); a
                        larger one is answered "too large", not authentic.
CERTIFY_VERIFY_WORKERS  processes reading uploaded PDFs, apart from the render pool (default 2).
CERTIFY_VERIFY_SECONDS  wall-clock time one uploaded PDF may take to read (default 3); past it
                        the reading process is killed and replaced, the upload answered 422.
CERTIFY_VERIFY_CPU_SECONDS  CPU time one uploaded PDF may take (default 2; RLIMIT_CPU).
CERTIFY_VERIFY_MEMORY_MB  address space a reading process may add to its own (default 256;
                        RLIMIT_AS); past it 413.
CERTIFY_VERIFY_MAX_DECODED_BYTES  what one compressed stream of an upload may expand to
                        (default 4 MiB; the whole file: four times that); past it 413.
CERTIFY_VERIFY_MAX_REVISIONS  revisions (incremental updates) an uploaded PDF may have
                        (default 8; a certificate has 2); past it 422.
CERTIFY_VERIFY_MAX_OBJECTS  objects an uploaded PDF may hold (default 5000; a certificate ~30).
CERTIFY_VERIFY_MAX_NESTING  depth of nested arrays and dictionaries (default 32).
CERTIFY_PUBLIC_READ_CONNECTIONS  PostgreSQL connections each server process keeps for public
                        verification by ID, read on the event loop (default 4; requests that
                        arrive while all are busy share the next read).
CERTIFY_VERIFY_CONCURRENCY  public verifications (by ID and by upload) one server process
                        handles at once (default 32; 0: no cap); beyond it 503 with Retry-After.
CERTIFY_VERIFY_QUEUE_SECONDS  how long an upload waits for a free reading process (default
                        2) before it is answered 503 with Retry-After.
CERTIFY_PUBLIC_RATE_PER_SECOND  public verification (`GET /api/v1/certificates/{id}`,
                        `POST /api/v1/verify`, the pages `/verify`, `/verify/{id}`) allowed per
                        client address and second, sustained (default 10; 0 turns the limit off).
CERTIFY_PUBLIC_RATE_BURST  requests an address may make at once before that rate applies
                        (default 60; 0 turns the limit off). Beyond it: 429 with Retry-After.
CERTIFY_TRUSTED_PROXIES  addresses or networks (comma-separated, e.g. `10.0.0.5,10.1.0.0/16`)
                        of the proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` count
                        (default: none; every limit keys on the connecting address).
CERTIFY_PUBLIC_READ_RATE_PER_SECOND  the other public reads (the log `/api/v1/log/…`, the
                        directory `/directory`, `.csv`, `.json`, the standards) per client address
                        and second (default 20; 0 turns the limit off).
CERTIFY_PUBLIC_READ_RATE_BURST  reads an address may make at once (default 120).
CERTIFY_EVIDENCE_MAX_BYTES  the largest photo or lab-report PDF `POST /api/v1/evidence` takes
                        (default 12 MiB); a larger one is answered 413 without being read.
CERTIFY_EVIDENCE_MAX_PIXELS  the most pixels a photo may decode to (default 40 million); a
                        larger one (or a decompression bomb) is answered 413.
CERTIFY_EVIDENCE_LONG_EDGE  photos are stored re-encoded with at most this many pixels on their
                        long edge (default 2048).
CERTIFY_EVIDENCE_KEEP_GPS  keep a photo's GPS position (default off: only its capture time is kept).
CERTIFY_REMINDER_DAYS   days before a surveillance or an expiry falls due that reminders go out to
                        the holder's artisans and the certifiers (comma-separated, default 30,7).
CERTIFY_JOBS_INTERVAL_SECONDS  how often `certify serve` runs the work that fell due and delivers
                        the outbox (default 60; 0: never, e.g. when a separate `certify jobs run`
                        runs from cron).
CERTIFY_WEBHOOK_ALLOW_PRIVATE  accept webhook targets on private, loopback or link-local addresses
                        (default false: refused when subscribing and when delivering).
CERTIFY_WEBHOOK_ALLOW_HTTP  accept `http://` webhook targets (default false: https only).
CERTIFY_OUTBOX_MAX_ATTEMPTS  deliveries tried before they are dead-lettered (default 8).
CERTIFY_OUTBOX_BACKOFF_SECONDS  the first retry's delay, doubled at each try (default 30).
CERTIFY_SMTP_HOST, _PORT (587), _USERNAME, _PASSWORD, _FROM, _STARTTLS (true)  the SMTP server
                        e-mail goes through; without a host, e-mail stays in the outbox.
CERTIFY_TIMEZONE        the issuer's time zone (IANA name, default `Asia/Jakarta`): the calendar
                        days printed on certificates and pages, validity and expiry.
CERTIFY_TSA_URL         an RFC 3161 time-stamp authority (`http://…`); when set, every PDF
                        signature carries its time-stamp token. Without it the certificate's log
                        leaf and signed tree head are its time anchor.
CERTIFY_PDF_CA_YEARS    lifetime of a new PDF-signing CA (default 10 years).
CERTIFY_PDF_SIGNER_YEARS  lifetime of a new PDF signer certificate (default 2 years; `certify keys
                        rotate` makes a new one).
CERTIFY_CHECKPOINT_SECONDS  the log signs a new tree head at most once per this interval (default
                        60) and when the server shuts down; readers get the latest one.
CERTIFY_LOG_FORMAT      `certify serve` logs: `json` (default: one object per line, with a
                        request id) or `text` (for a terminal).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEMO_ISSUER_NAME = "Lembaga Sertifikasi Kerajinan (demo)"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CERTIFY_", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str | None = None
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    pool_size: int = Field(default=40, ge=1)
    public_url: str = "http://127.0.0.1:8000"
    key_dir: Path | None = None
    signing_keys: SecretStr | None = None
    issuer_name: str | None = Field(default=None, min_length=1, max_length=100)
    render_workers: int = Field(default=2, ge=0, le=64)
    verify_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    verify_workers: int = Field(default=2, ge=1, le=64)
    public_read_connections: int = Field(default=4, ge=1, le=64)
    verify_seconds: float = Field(default=3.0, gt=0, le=600)
    verify_cpu_seconds: int = Field(default=2, ge=1, le=600)
    verify_memory_mb: int = Field(default=256, ge=32)
    verify_max_decoded_bytes: int = Field(default=4 * 1024 * 1024, ge=64 * 1024)
    verify_max_revisions: int = Field(default=8, ge=2)
    verify_max_objects: int = Field(default=5000, ge=100)
    verify_max_nesting: int = Field(default=32, ge=8, le=200)
    verify_concurrency: int = Field(default=32, ge=0)
    verify_queue_seconds: float = Field(default=2.0, gt=0, le=60)
    public_rate_per_second: float = Field(default=10.0, ge=0)
    public_rate_burst: int = Field(default=60, ge=0)
    public_read_rate_per_second: float = Field(default=20.0, ge=0)
    public_read_rate_burst: int = Field(default=120, ge=0)
    evidence_max_bytes: int = Field(default=12 * 1024 * 1024, ge=64 * 1024)
    evidence_max_pixels: int = Field(default=40_000_000, ge=10_000)
    evidence_long_edge: int = Field(default=2048, ge=256, le=8192)
    evidence_keep_gps: bool = False
    log_format: str = Field(default="json", pattern="^(json|text)$")
    reminder_days: str = Field(default="30,7", pattern=r"^ *[0-9]{1,3}( *, *[0-9]{1,3})* *$")
    jobs_interval_seconds: float = Field(default=60.0, ge=0)
    webhook_allow_private: bool = False
    webhook_allow_http: bool = False
    outbox_max_attempts: int = Field(default=8, ge=1, le=50)
    outbox_backoff_seconds: float = Field(default=30.0, ge=0)
    agreement_dir: Path | None = None  # the certification agreement's versions; None: the bundled ones
    agreement_version: str | None = Field(default=None, pattern=r"^[0-9]{4}\.[0-9]+$")  # None: the newest
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "certify@localhost"
    smtp_starttls: bool = True
    timezone: str = Field(default="Asia/Jakarta", min_length=1, max_length=64)
    tsa_url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    pdf_ca_years: int = Field(default=10, ge=1, le=30)
    pdf_signer_years: int = Field(default=2, ge=1, le=10)
    checkpoint_seconds: float = Field(default=60.0, ge=0, le=86400)
    trusted_proxies: str = Field(default="", pattern=r"^[0-9A-Fa-f:.,/ ]*$")

    @field_validator("trusted_proxies")
    @classmethod
    def _addresses(cls, value: str) -> str:
        for part in (p.strip() for p in value.split(",")):
            if part:
                ipaddress.ip_network(part, strict=False)  # a ValueError names the part
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"{value!r} is not an IANA time zone (e.g. Asia/Jakarta)") from error
        return value

    @property
    def zone(self) -> ZoneInfo:
        """`CERTIFY_TIMEZONE` as a time zone."""
        return ZoneInfo(self.timezone)

    @property
    def reminders(self) -> tuple[int, ...]:
        """`CERTIFY_REMINDER_DAYS` as days, most first."""
        return tuple(sorted({int(part) for part in self.reminder_days.split(",")}, reverse=True))

    @property
    def proxies(self) -> list[str]:
        """`CERTIFY_TRUSTED_PROXIES` as a list (empty: trust no proxy)."""
        return [part.strip() for part in self.trusted_proxies.split(",") if part.strip()]

    @property
    def database(self) -> str:
        """The database URL in force: the configured one, else a SQLite file in the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'certify.db').resolve()}"

    @property
    def issuer(self) -> str:
        """The issuer's name in force: CERTIFY_ISSUER_NAME, else the demo's."""
        return self.issuer_name or DEMO_ISSUER_NAME

    @property
    def keys_dir(self) -> Path:
        """The key directory in force: `CERTIFY_KEY_DIR`, else `<DATA_DIR>/keys`."""
        return (self.key_dir or self.data_dir / "keys").resolve()


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The settings of this process, read once from the environment."""
    return Settings()
