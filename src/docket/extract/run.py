"""Extraction entry points for texts and files, outside the store."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

from docket.errors import InputError
from docket.extract.components import published_from
from docket.extract.dates import date_in_url
from docket.extract.pipeline import DocState, Pipeline


@cache
def default_pipeline() -> Pipeline:
    return Pipeline()


def extract_text(
    text: str, *, published: dt.date | None = None, language: str | None = None
) -> DocState:
    """Run the default pipeline on one text."""
    return default_pipeline()(text, published=published, language=language)


def read_input(
    path: Path, published: dt.date | None = None
) -> tuple[str, dt.date | None, str | None]:
    """Text, published date and language of a ``.txt`` file or a corpus-format ``.json`` file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError:
        content = raw.decode("latin-1")
    if path.suffix.lower() == ".json":
        try:
            data: Any = json.loads(content)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise InputError(f"{path}: expected an object with a 'text' string (corpus format)")
        return (
            data["text"],
            published_from(data.get("published")) or date_in_url(data.get("url")) or published,
            data.get("language"),
        )
    return content, published, None
