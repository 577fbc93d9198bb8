"""Testimonies: pseudonyms, sealed identities, consent, the account as a witness document."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from tests.evidence.media_files import photo

import docket
from docket.errors import ConfigError, InputError, IntegrityError
from docket.evidence.keys import FileKey, PassphraseKey, init_keys
from docket.evidence.models import Identity
from docket.evidence.tables import testimonies
from docket.evidence.testimony import Interview
from docket.store.schema import audit_log

NAME = "Mahmoud Qasem al-Tayyar"
CONTACT = "+963 955 123 987"
EXACT = "house beside the water tower, north of the souq"


def interview(**changes: object) -> Interview:
    fields: dict[str, object] = {
        "account": (
            "I teach at the girls' school in the eastern quarter. At about nine in the morning "
            "two shells fell in the yard while the pupils were lining up. My name is "
            f"{NAME}; reach me on {CONTACT} if you need more. Four children were hurt."
        ),
        "role": "teacher",
        "consent": "may_quote",
        "interview_date": dt.date(2020, 2, 6),
        "place": "Sarmin",
        "language": "en",
        "interviewer": "Field team 1",
    }
    fields.update(changes)
    return Interview(**fields)  # type: ignore[arg-type]


@pytest.fixture
def key(tmp_path: Path) -> FileKey:
    made = init_keys(tmp_path / "keys")
    return FileKey.load(made.identity)


def test_testimony_account_is_witness_document_with_pseudonym(
    db: docket.Docket, key: FileKey
) -> None:
    stored = db.add_testimony(interview(), Identity(name=NAME, contact=CONTACT), key)
    assert (stored.id, stored.pseudonym, stored.role) == (1, "W-0001", "teacher")
    doc = db.document(stored.document_id)
    assert doc.source_kind == "witness"
    assert doc.source == "Witness W-0001"
    assert doc.title == "Testimony of W-0001 (Teacher or school staff, Sarmin)"
    assert doc.published == dt.date(2020, 2, 6)
    assert doc.text.endswith(
        "My name is W-0001; reach me on [contact withheld] if you need more. "
        "Four children were hurt."
    )
    assert doc.metadata == {"testimony": "W-0001", "role": "teacher", "redacted_mentions": 2}
    assert stored.identity_key_id == key.key_id
    with db.store.read() as conn:
        logged = conn.execute(
            sa.select(audit_log.c.action, audit_log.c.record_type, audit_log.c.record_id)
        ).all()
    assert logged == [("create", "document", "1"), ("create", "testimony", "1")]


def test_testimony_identity_opens_only_with_the_key(
    db: docket.Docket, key: FileKey, tmp_path: Path
) -> None:
    identity = Identity(name=NAME, contact=CONTACT, exact_location=EXACT)
    stored = db.add_testimony(interview(), identity, key)
    assert db.testimony(stored.id).identity is None
    assert db.testimony(stored.id, key).identity == identity
    other = FileKey.load(init_keys(tmp_path / "other-keys").identity)
    with pytest.raises(ConfigError) as caught:
        db.testimony(stored.id, other)
    assert str(caught.value) == (
        f"W-0001: identity was sealed with key {key.key_id}; the key given is {other.key_id}"
    )


def test_testimony_passphrase_key(db: docket.Docket) -> None:
    sealing = PassphraseKey("olive grove by the old mill")
    stored = db.add_testimony(interview(), Identity(name=NAME), sealing)
    opening = PassphraseKey("olive grove by the old mill")  # a new session: new salt, same key
    assert db.testimony(stored.id, opening).identity == Identity(name=NAME)
    with pytest.raises(ConfigError) as caught:
        db.testimony(stored.id, PassphraseKey("olive grove by the new mill"))
    assert str(caught.value).startswith("W-0001: identity was sealed with key ")


def test_testimony_identity_without_key_is_refused(db: docket.Docket) -> None:
    with pytest.raises(InputError) as caught:
        db.add_testimony(interview(), Identity(name=NAME), None)
    assert str(caught.value) == (
        "identity fields need a key to be stored encrypted: create one with `docket keys init`, "
        "or give --key-file or --passphrase"
    )
    assert db.stats()["documents"] == 0


def test_testimony_without_identity_needs_no_key(db: docket.Docket) -> None:
    stored = db.add_testimony(interview(account="Smoke rose over the market at noon."))
    assert (stored.identity_key_id, db.testimony(stored.id).account) == (
        None,
        "Smoke rose over the market at noon.",
    )


def test_testimony_sealed_identity_moved_to_other_testimony_does_not_open(
    tmp_path: Path, key: FileKey
) -> None:
    with docket.open(tmp_path / "case.db") as db:
        db.add_testimony(interview(), Identity(name=NAME), key)
        db.add_testimony(
            interview(account="Second account, of the market."), Identity(name="X"), key
        )
        with db.store.write() as conn:
            first = conn.execute(sa.select(testimonies.c.identity).where(testimonies.c.id == 1))
            conn.execute(
                sa.update(testimonies).where(testimonies.c.id == 2).values(identity=first.scalar())
            )
        with pytest.raises(IntegrityError) as caught:
            db.testimony(2, key)
    assert str(caught.value) == (
        "W-0002: sealed identity does not open: altered, or moved from another testimony"
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"role": "bystander"}, "--role 'bystander' is not one of: eyewitness, doctor, nurse"),
        ({"consent": "named_bodies"}, "consent 'named_bodies' needs the bodies: add --share-with"),
        (
            {"share_with": ["OHCHR"]},
            "--share-with goes with --consent named_bodies, not 'may_quote'",
        ),
        ({"account": "   "}, "the account is empty; give the interview text"),
    ],
)
def test_testimony_bad_fields(db: docket.Docket, changes: dict[str, object], message: str) -> None:
    with pytest.raises(InputError) as caught:
        db.add_testimony(interview(**changes))
    assert str(caught.value).startswith(message)


def test_testimony_no_identity_in_plaintext_anywhere(tmp_path: Path, key: FileKey) -> None:
    case = tmp_path / "case"
    case.mkdir()
    with docket.open(case / "case.db") as db:
        db.add_testimony(
            interview(), Identity(name=NAME, contact=CONTACT, exact_location=EXACT), key
        )
        db.add_evidence([photo(tmp_path / "yard.jpg", seed=9)], source="Sarmin teacher")
        db.verify()
    files = [p for p in case.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"case.db"}
    assert any(p.parent.name != "case" for p in files)  # the evidence directory is searched too
    for path in files:
        raw = path.read_bytes()
        for secret in (NAME, CONTACT, EXACT, "Mahmoud", "955 123"):
            for encoding in ("utf-8", "utf-16-le"):
                assert secret.encode(encoding) not in raw, f"{secret!r} found in {path}"


def test_testimony_rotate_identity_key(tmp_path: Path, key: FileKey) -> None:
    new = FileKey.load(init_keys(tmp_path / "new-keys").identity)
    with docket.open(tmp_path / "case.db") as db:
        db.add_testimony(interview(), Identity(name=NAME, contact=CONTACT), key)
        db.add_testimony(interview(account="No identity recorded for this one."))
        assert db.rotate_identity_key(key, new) == 1
        assert db.testimony(1, new).identity == Identity(name=NAME, contact=CONTACT)
        assert db.testimony(1).identity_key_id == new.key_id
        with pytest.raises(ConfigError):
            db.testimony(1, key)
        with pytest.raises(ConfigError):  # wrong old key: nothing changes
            db.rotate_identity_key(key, new)
        assert db.testimony(1, new).identity == Identity(name=NAME, contact=CONTACT)
        assert db.verify().ok


def test_testimony_file_that_cannot_be_read_is_one_line(run_cli, tmp_path: Path) -> None:
    db = str(tmp_path / "d.db")
    broken = tmp_path / "interview.yaml"
    broken.write_text("role: nurse\naccount: [the shelling began at dawn\n", encoding="utf-8")
    latin = tmp_path / "account.txt"
    latin.write_bytes("Le march\u00e9 a \u00e9t\u00e9 bombard\u00e9.".encode("latin-1"))
    shown = [
        run_cli("--db", db, "testimony", "add", str(path), "--role", "nurse").stderr.strip()
        for path in (broken, latin, tmp_path / "missing.yaml")
    ]
    assert shown == [
        f"Error: {broken}: not valid YAML (line 3, column 1: expected ',' or ']', but got "
        "'<stream end>')",
        f"Error: {latin}: cannot read (not valid utf-8 (byte 0xe9 at offset 8))",
        f"Error: {tmp_path / 'missing.yaml'}: cannot read (No such file or directory)",
    ]


def test_testimony_file_with_an_unknown_field_names_the_known_ones(run_cli, tmp_path: Path) -> None:
    interview = tmp_path / "interview.yaml"
    interview.write_text(
        "role: nurse\ndate: 2021-03-04\nconsent: internal_only\naccount: The clinic was hit.\n",
        encoding="utf-8",
    )
    shown = run_cli("--db", str(tmp_path / "d.db"), "testimony", "add", str(interview))
    assert (shown.code, " ".join(shown.stderr.split())) == (
        1,
        f"Error: {interview}: unknown fields date; an interview file has account, role, "
        "interview_date, place, language, consent, share_with, interviewer, incident_id, identity",
    )
