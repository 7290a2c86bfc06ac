"""Reading untrusted XML (feeds, sitemaps) safely, and telling what a fetched body is.

defusedxml refuses entity declarations (billion laughs, quadratic blow-up) and external
entities/DTDs (file and network reads); such a document is refused, never expanded.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zlib

import defusedxml
import defusedxml.ElementTree as SafeET

FEED_ROOTS = frozenset({"rss", "feed", "RDF"})
SITEMAP_ROOTS = frozenset({"urlset", "sitemapindex"})
XML_ROOT = re.compile(
    rb"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^\[>]*(?:\[.*?\]\s*)?>\s*)*<(?:[\w.-]+:)?([\w.-]+)", re.S)
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})


GZIP_MAGIC = b"\x1f\x8b"
GZIP_TYPES = frozenset({"application/gzip", "application/x-gzip"})
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024  # the sitemap protocol's limit for one file


class XmlRefused(ValueError):
    """A feed or sitemap refused for safety (entities, DTD tricks) or because it is not XML."""


def parse_xml(data: bytes, url: str) -> ET.Element:
    """The root element of an XML document (gzipped or not), refusing entity expansion and external references."""
    data = gunzip(data, url)
    try:
        return SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.EntitiesForbidden:
        raise XmlRefused(f"{url}: refused: the XML declares entities (possible entity-expansion attack)") from None
    except (defusedxml.ExternalReferenceForbidden, defusedxml.DTDForbidden):
        raise XmlRefused(f"{url}: refused: the XML references external entities or a DTD") from None
    except ET.ParseError as exc:
        raise XmlRefused(f"{url}: not well-formed XML ({exc})") from None


def gunzip(data: bytes, url: str, limit: int = MAX_UNZIPPED_BYTES) -> bytes:
    """A gzipped body (sitemap.xml.gz) unpacked, stopping at `limit` bytes (no zip bombs); others as they are."""
    if not data.startswith(GZIP_MAGIC):
        return data
    inflater = zlib.decompressobj(wbits=31)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise XmlRefused(f"{url}: damaged gzip data ({exc})") from None
    if len(out) > limit:
        raise XmlRefused(f"{url}: refused: unpacks to more than {limit // (1024 * 1024)} MB")
    return out


def local_name(tag: str) -> str:
    """`{http://www.w3.org/2005/Atom}entry` -> `entry`."""
    return tag.rsplit("}", 1)[-1]


def document_kind(content_type: str | None, data: bytes) -> str:
    """`feed`, `sitemap`, `html` or `text`: from the root element first, then the media type."""
    if data.startswith(GZIP_MAGIC):
        try:
            data = zlib.decompressobj(wbits=31).decompress(data, 16384)  # the head is enough to tell
        except zlib.error:
            data = b""
    root = XML_ROOT.match(data[:16384])
    name = root.group(1).decode("ascii", "replace") if root else ""
    if name in FEED_ROOTS:
        return "feed"
    if name in SITEMAP_ROOTS:
        return "sitemap"
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media in FEED_TYPES:
        return "feed"
    if media == "text/plain":
        return "text"
    return "html"
