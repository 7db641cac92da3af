"""The only resources a certificate may load: files under `templates/` and `data:` URIs.

Anything else (http, https, ftp, a file outside the templates folder) is refused without a
connection being opened, and remembered in `refused` so that a test or a log can name it.
"""

import logging
import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint.urls import (  # type: ignore[import-untyped]
    URLFetcher,
    URLFetcherResponse,
    URLFetchingError,
)

logger = logging.getLogger(__name__)


class RefusedResource(URLFetchingError):  # type: ignore[misc]
    """A certificate asked for a resource that is neither a template file nor a data: URI."""


class LocalOnlyFetcher(URLFetcher):  # type: ignore[misc]
    """A WeasyPrint URL fetcher that reads templates/ files and data: URIs, and nothing else."""

    def __init__(self, root: Path) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.root = root.resolve()
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(unquote(parts.path)).resolve()
            if path.is_relative_to(self.root) and path.is_file():
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})
        self.refused.append(url)
        logger.warning("certificate rendering refused to fetch %s", url)
        raise RefusedResource(f"refused: {url} is not a template file or a data: URI")
