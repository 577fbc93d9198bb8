"""Readers that turn one input file into one or more parsed documents.

One reader per format, chosen by file extension (``READERS``). A reader gets the raw bytes and
returns ``Parsed`` documents or raises :class:`IntakeError` naming the problem; a JSONL reader
returns per-line errors beside the documents so the good lines still go through.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from docket.errors import IntakeError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
KNOWN_KEYS = {"text", "url", "source", "source_kind", "published", "language", "title"}


@dataclass
class Parsed:
    """A document as read from a file, before it is stored."""

    raw: bytes
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    source_kind: str | None = None
    published: dt.date | None = None
    language: str | None = None
    media_type: str = "text/plain"
    metadata: dict[str, Any] = field(default_factory=dict)
    line: int | None = None

    @cached_property
    def raw_sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()

    @cached_property
    def text_sha256(self) -> str:
        return hashlib.sha256(normalize_text(self.text).encode("utf-8")).hexdigest()


def normalize_text(text: str) -> str:
    """Text as compared across versions: NFC, Unix newlines, no trailing blanks."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# What the command line tells someone whose file is not in the expected encoding.
ENCODING_FIX = "pass --encoding if the file uses another encoding"


def decode(path: Path, raw: bytes, encoding: str = "utf-8", fix: str = ENCODING_FIX) -> str:
    """Bytes to text, refusing binary data and undecodable bytes with a clear reason (``fix``
    says what to do about bytes the encoding cannot read)."""
    if not raw.strip():
        raise IntakeError(path, "empty file")
    sample = raw[:8192]
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IntakeError(path, "binary data (NUL bytes), not text; is the extension right?")
    try:
        text = raw.decode(
            "utf-8-sig" if encoding.lower().replace("_", "-") == "utf-8" else encoding
        )
    except UnicodeDecodeError as exc:
        raise IntakeError(
            path,
            f"not valid {encoding} (byte 0x{raw[exc.start]:02x} at offset {exc.start}); {fix}",
        ) from None
    except LookupError:
        raise IntakeError(path, f"unknown encoding {encoding!r}") from None
    controls = len(_CONTROL.findall(text, 0, 8192))
    if controls > max(8, len(text[:8192]) // 20):
        raise IntakeError(
            path, "binary data (control characters), not text; is the extension right?"
        )
    if not text.strip():
        raise IntakeError(path, "no text after decoding")
    return text


def read_table_text(path: Path) -> str:
    """A CSV or TSV table's UTF-8 text; an unreadable, empty, binary or non-UTF-8 file raises
    :class:`IntakeError` naming it (the table commands read UTF-8 only)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IntakeError(path, f"cannot read ({exc.strerror})") from None
    return decode(path, raw, fix="save the table as UTF-8")


def cut_short(row: dict[str | None, Any], needed: tuple[str, ...]) -> str | None:
    """Why a ``csv.DictReader`` row has no value at all in a ``needed`` column: it holds fewer
    fields than the header (a quote left open swallows the lines after it), else ``None``."""
    if all(row.get(column) is not None for column in needed):
        return None
    header = sum(key is not None for key in row)
    fields = sum(key is not None and value is not None for key, value in row.items())
    return f"the row has {fields} of the header's {header} fields (a quote left open?)"


def parse_date(value: Any) -> dt.date | None:
    """A date from ISO strings (``2020-05-11``, ``2020-05-11T08:00:00Z``) or ``None``."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    import dateparser  # slow import: only for odd formats

    parsed = dateparser.parse(text, languages=["en"], settings={"STRICT_PARSING": True})
    if parsed is None:
        raise ValueError(f"cannot read date {text!r}")
    return parsed.date()


def read_text(path: Path, raw: bytes, encoding: str) -> list[Parsed]:
    text = decode(path, raw, encoding)
    if _is_table(text):
        raise IntakeError(
            path,
            "a tab-separated table, not a report: load a GeoNames dump with `docket gazetteer "
            "import`, a list of sites with `docket facilities import`",
        )
    return [Parsed(raw=raw, text=text, title=_first_line(raw))]


# A text whose first lines each hold this many tabs is a table (a GeoNames dump holds 18 a line).
TABLE_TABS = 5
TABLE_LINES = 3


def _is_table(text: str) -> bool:
    lines = [line for line in text[:20_000].splitlines() if line.strip()][:TABLE_LINES]
    return len(lines) == TABLE_LINES and all(line.count("\t") >= TABLE_TABS for line in lines)


def read_markdown(path: Path, raw: bytes, encoding: str) -> list[Parsed]:
    text = decode(path, raw, encoding)
    title = next((ln.lstrip("# ").strip() for ln in text.splitlines() if ln.startswith("#")), None)
    return [Parsed(raw=raw, text=text, title=title, media_type="text/markdown")]


def _first_line(raw: bytes) -> str | None:
    line = raw[:300].decode("utf-8", "replace").strip().split("\n", 1)[0].strip()
    return line[:200] or None


_DROP_TAGS = "script, style, noscript, nav, header, footer, aside, form, iframe, svg, template"
_BLOCK_TAGS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "pre",
    "figcaption",
    "td",
    "th",
    "dd",
    "dt",
    "div",
    "section",
    "article",
    "br",
    "tr",
}
_PUBLISHED_META = (
    'meta[property="article:published_time"]',
    'meta[name="article:published_time"]',
    'meta[itemprop="datePublished"]',
    'meta[name="pubdate"]',
    'meta[name="publishdate"]',
    'meta[name="date"]',
    'meta[name="dc.date"]',
    'meta[name="DC.date.issued"]',
)


def read_html(path: Path, raw: bytes, encoding: str) -> list[Parsed]:
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    tree = HTMLParser(decode(path, raw, encoding))

    def meta(selector: str) -> str | None:
        node = tree.css_first(selector)
        value = node.attributes.get("content") if node else None
        return value.strip() if value else None

    title = meta('meta[property="og:title"]')
    if not title and (node := tree.css_first("title")):
        title = node.text(strip=True) or None
    canonical = tree.css_first('link[rel="canonical"]')
    url = (canonical.attributes.get("href") if canonical else None) or meta(
        'meta[property="og:url"]'
    )
    published = None
    for selector in _PUBLISHED_META:
        if value := meta(selector):
            published = _lenient_date(value)
            if published:
                break
    if published is None and (node := tree.css_first("time[datetime]")):
        published = _lenient_date(node.attributes.get("datetime") or "")
    root = tree.css_first("html")
    language = root.attributes.get("lang") if root is not None else None
    for node in tree.css(_DROP_TAGS):
        node.decompose()
    body = tree.css_first("article") or tree.css_first("main") or tree.body
    text = _html_text(body) if body is not None else ""
    if not text.strip():
        raise IntakeError(path, "HTML page has no readable text")
    return [
        Parsed(
            raw=raw,
            text=text,
            title=title,
            url=url,
            published=published,
            language=(language or "").split("-")[0] or None,
            media_type="text/html",
        )
    ]


def _lenient_date(value: str) -> dt.date | None:
    try:
        return parse_date(value)
    except ValueError:
        return None


def _html_text(node: Any) -> str:
    """Visible text with block elements on their own lines."""
    parts: list[str] = []
    for child in node.traverse(include_text=True):
        if child.tag == "-text":
            parts.append(child.text_content)
        elif child.tag in _BLOCK_TAGS:
            parts.append("\n\n" if child.tag != "br" else "\n")
    text = re.sub(r"[ \t\u00a0]+", " ", "".join(parts))
    return normalize_text(re.sub(r" ?\n ?", "\n", text))


def read_pdf(path: Path, raw: bytes, encoding: str) -> list[Parsed]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(raw))
        pages = [page.extract_text() or "" for page in reader.pages]
        info: Any = reader.metadata or {}
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise IntakeError(path, f"not a readable PDF ({exc.__class__.__name__}: {exc})") from None
    text = normalize_text("\n\n".join(pages))
    if not text:
        raise IntakeError(path, "PDF has no text layer (scanned images need OCR first)")
    title = str(info.get("/Title") or "") or None
    return [Parsed(raw=raw, text=text, title=title, media_type="application/pdf")]


def parsed_from_mapping(path: Path, data: Any, raw: bytes, line: int | None = None) -> Parsed:
    """A document from a JSON object with ``text``; unknown keys go to metadata."""
    if not isinstance(data, dict):
        raise IntakeError(path, f"expected a JSON object, found {type(data).__name__}", line)
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise IntakeError(path, "JSON document has no non-empty 'text'", line)
    try:
        published = parse_date(data.get("published"))
    except ValueError as exc:
        raise IntakeError(path, f"'published': {exc}", line) from None
    return Parsed(
        raw=raw,
        text=text,
        title=_opt_str(data.get("title")),
        url=_opt_str(data.get("url")),
        source=_opt_str(data.get("source")),
        source_kind=_opt_str(data.get("source_kind")),
        published=published,
        language=_opt_str(data.get("language")),
        media_type="application/json",
        metadata={k: v for k, v in data.items() if k not in KNOWN_KEYS},
        line=line,
    )


def _opt_str(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


def read_json(path: Path, raw: bytes, encoding: str) -> list[Parsed]:
    text = decode(path, raw, encoding)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IntakeError(
            path, f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    return [parsed_from_mapping(path, data, raw)]


def read_jsonl(path: Path, raw: bytes, encoding: str) -> list[Parsed | IntakeError]:
    text = decode(path, raw, encoding)
    results: list[Parsed | IntakeError] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            results.append(parsed_from_mapping(path, data, line.encode("utf-8"), number))
        except json.JSONDecodeError as exc:
            results.append(
                IntakeError(path, f"malformed JSON: {exc.msg} at column {exc.colno}", number)
            )
        except IntakeError as exc:
            results.append(exc)
    return results


Reader = Callable[[Path, bytes, str], list[Any]]

READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".pdf": read_pdf,
    ".json": read_json,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
}
