"""The raw archive on disk: every fetched body, stored once under its sha256.

Layout: `<warehouse folder>/raw/ab/abcdef...` (first two hex digits as a sub-folder, so
no folder grows huge). Writes go to a temporary file renamed into place, so a crash
never leaves a half-written body under a valid name. The metadata (url, headers,
status...) is the `raw_documents` table; see warehouse/archive.py.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from sources.http import media_type
from transforms.model import RawDocument

HEX_DIGEST_LENGTH = 64


class ArchiveError(Exception):
    """An archived body that is missing or damaged; the message names the file."""


def archive_root(db: str | Path) -> Path:
    """The archive folder that belongs to a warehouse file."""
    return Path(db).resolve().parent / "raw"


def body_path(root: Path, digest: str) -> Path:
    """Where the body with this sha256 lives."""
    if len(digest) != HEX_DIGEST_LENGTH or not all(c in "0123456789abcdef" for c in digest):
        raise ArchiveError(f"not a sha256 hex digest: {digest!r}")
    return root / digest[:2] / digest


def store(root: Path, data: bytes) -> str:
    """Save a body (once) and return its sha256, the name it is stored under."""
    digest = hashlib.sha256(data).hexdigest()
    path = body_path(root, digest)
    if path.exists():
        return digest
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".incoming-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return digest


def load(root: Path, digest: str) -> bytes:
    """The archived body with this sha256, checked against its name."""
    path = body_path(root, digest)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ArchiveError(f"{path}: archived body is missing") from None
    if hashlib.sha256(data).hexdigest() != digest:
        raise ArchiveError(f"{path}: archived body does not match its sha256 (damaged file)")
    return data


def has(root: Path, digest: str | None) -> bool:
    """Whether the body with this sha256 is in the archive."""
    return bool(digest) and body_path(root, digest).exists()


def archived_document(root: Path, digest: str, url: str, location: str, source: str | None,
                      content_type: str | None) -> RawDocument:
    """An archived body as a document to parse (plain text when it was served as text/plain)."""
    kind = "text" if media_type(content_type) == "text/plain" else "html"
    return RawDocument(url=url, data=load(root, digest), kind=kind, source=source, content_type=content_type,
                       location=location)
