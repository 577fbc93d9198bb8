import datetime as dt
from pathlib import Path

import pytest

from docket.errors import IntakeError
from docket.intake.readers import (
    decode,
    normalize_text,
    parse_date,
    read_html,
    read_json,
    read_jsonl,
    read_text,
)

HTML = b"""<!doctype html><html lang="en-GB"><head>
<title>Site name | Strike on clinic</title>
<meta property="og:title" content="Strike on clinic in Binnish">
<link rel="canonical" href="https://example.org/clinic-binnish">
<meta property="article:published_time" content="2020-02-11T09:15:00+00:00">
<script>var tracking = "do not keep";</script><style>p { color: red }</style>
</head><body><nav>Home | World | Syria</nav>
<article><h1>Strike on clinic in Binnish</h1>
<p>A clinic in Binnish was hit on Monday.</p><p>Two nurses were hurt.</p></article>
<footer>Copyright</footer></body></html>"""


def test_readers_html_reads_meta_and_strips_boilerplate(tmp_path: Path) -> None:
    (parsed,) = read_html(tmp_path / "a.html", HTML, "utf-8")
    assert parsed.title == "Strike on clinic in Binnish"
    assert parsed.url == "https://example.org/clinic-binnish"
    assert parsed.published == dt.date(2020, 2, 11)
    assert parsed.language == "en"
    assert parsed.text == (
        "Strike on clinic in Binnish\n\nA clinic in Binnish was hit on Monday.\n\nTwo nurses were hurt."
    )


def test_readers_json_keeps_unknown_keys_as_metadata(tmp_path: Path) -> None:
    raw = (
        b'{"text": "Shelling hit Sarmin.", "url": "https://e.org/1", "published": "2020-02-04",'
        b' "source": "Monitor", "source_kind": "monitor", "incidents": [], "notes": "n"}'
    )
    (parsed,) = read_json(tmp_path / "d.json", raw, "utf-8")
    assert (parsed.url, parsed.published, parsed.source, parsed.source_kind) == (
        "https://e.org/1",
        dt.date(2020, 2, 4),
        "Monitor",
        "monitor",
    )
    assert parsed.metadata == {"incidents": [], "notes": "n"}


def test_readers_jsonl_reports_bad_lines_and_keeps_good_ones(tmp_path: Path) -> None:
    raw = b'{"text": "one"}\n{"text": \n\n[1, 2]\n{"text": "four"}\n'
    results = read_jsonl(tmp_path / "b.jsonl", raw, "utf-8")
    assert [r.text if not isinstance(r, IntakeError) else str(r) for r in results] == [
        "one",
        f"{tmp_path / 'b.jsonl'}:2: malformed JSON: Expecting value at column 10",
        f"{tmp_path / 'b.jsonl'}:4: expected a JSON object, found list",
        "four",
    ]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty file"),
        (b"  \n\t ", "empty file"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "binary data (NUL bytes), not text; is the extension right?",
        ),
        (
            b"caf\xe9 bombed",
            "not valid utf-8 (byte 0xe9 at offset 3); pass --encoding if the file uses another encoding",
        ),
    ],
)
def test_readers_decode_refuses_bad_bytes(raw: bytes, message: str) -> None:
    with pytest.raises(IntakeError) as info:
        decode(Path("x.txt"), raw)
    assert str(info.value) == f"x.txt: {message}"


def test_readers_decode_other_encoding() -> None:
    assert decode(Path("x.txt"), "café".encode("latin-1"), "latin-1") == "café"


def test_readers_text_refuses_a_tab_separated_table() -> None:
    # Three rows in the GeoNames dump layout (19 columns), written for this test.
    row = "\t".join(["170001", "Tell Amar", "Tell Amar", "", "35.9", "36.6", "P", "PPL", "SY"])
    dump = "\n".join([row] * 3 + [""] * 1).encode()
    with pytest.raises(IntakeError, match="a tab-separated table, not a report: load a GeoNames"):
        read_text(Path("SY.txt"), dump, "utf-8")


def test_readers_text_keeps_a_report_with_a_few_tabs() -> None:
    report = b"Casualties\tKilled\tInjured\nMarket\t3\t7\n\nShelling hit the market at dawn."
    (parsed,) = read_text(Path("r.txt"), report, "utf-8")
    assert parsed.text.endswith("Shelling hit the market at dawn.")


def test_readers_normalize_text() -> None:
    assert normalize_text("a \r\nb\r\n\r\n\r\n\r\nc  ") == "a\nb\n\nc"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-05-11", dt.date(2020, 5, 11)),
        ("2020-05-11T23:10:00Z", dt.date(2020, 5, 11)),
        (None, None),
        ("", None),
    ],
)
def test_readers_parse_date(value: str | None, expected: dt.date | None) -> None:
    assert parse_date(value) == expected
