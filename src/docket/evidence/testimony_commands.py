"""CLI commands for testimonies and keys (thin wrappers over :class:`docket.Docket` methods)."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.table import Table

from docket._console import console, print_json
from docket.errors import ConfigError, InputError, one_line
from docket.evidence.keys import (
    IDENTITY_KEY,
    FileKey,
    IdentityKey,
    PassphraseKey,
    default_keys_dir,
)
from docket.evidence.models import Identity
from docket.evidence.testimony import Interview

testimony_app = typer.Typer(
    help="Witness testimonies with protected identities.", no_args_is_help=True
)
keys_app = typer.Typer(help="Identity and signing keys.", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]
DbOption = Annotated[str | None, typer.Option("--db", help="Database URL or SQLite file.")]
KeyFileOption = Annotated[
    Path | None,
    typer.Option("--key-file", help="AES identity key (default: identity.key in $DOCKET_KEYS)."),
]
PassphraseOption = Annotated[
    bool,
    typer.Option("--passphrase", help="Use a passphrase ($DOCKET_PASSPHRASE or a prompt)."),
]
PASSPHRASE_ENV = "DOCKET_PASSPHRASE"
IDENTITY_FIELDS = ("name", "contact", "exact_location")
INTERVIEW_FIELDS = (
    "account",
    "role",
    "interview_date",
    "place",
    "language",
    "consent",
    "share_with",
    "interviewer",
    "incident_id",
    "identity",
)


def _open(db: str | None):  # type: ignore[no-untyped-def]
    from docket.cli import open_db

    return open_db(db)


def resolve_key(key_file: Path | None, passphrase: bool, *, required: bool) -> IdentityKey | None:
    """The identity key from --key-file, --passphrase, or the default keys folder."""
    if passphrase:
        secret = os.environ.get(PASSPHRASE_ENV) or typer.prompt("Passphrase", hide_input=True)
        return PassphraseKey(secret)
    if key_file is not None:
        return FileKey.load(key_file)
    default = default_keys_dir() / IDENTITY_KEY
    if default.exists():
        return FileKey.load(default)
    if required:
        raise ConfigError(
            f"no identity key at {default}; run `docket keys init` or give --key-file"
        )
    return None


def _read_interview_file(path: Path) -> dict[str, Any]:
    """Fields from a .yaml/.json interview file, or the account from a .txt/.md file."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({one_line(exc)})") from None
    if path.suffix.lower() in {".txt", ".md"}:
        return {"account": raw}
    try:
        data = json.loads(raw) if path.suffix.lower() == ".json" else yaml.safe_load(raw)
    except (ValueError, yaml.YAMLError) as exc:
        raise InputError(f"{path}: not valid {path.suffix[1:].upper()} ({one_line(exc)})") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a mapping of fields (role, consent, account, ...)")
    return data


def _ask(fields: dict[str, Any], name: str, label: str, *, hidden: bool = False) -> None:
    if fields.get(name) not in (None, "", []):
        return
    if not sys.stdin.isatty():
        raise InputError(f"{name} is missing; give --{name.replace('_', '-')} or put it in FILE")
    fields[name] = typer.prompt(label, hide_input=hidden)


@testimony_app.command("add")
def add(
    file: Annotated[
        Path | None, typer.Argument(help="Interview as .yaml/.json (all fields) or .txt (account).")
    ] = None,
    role: Annotated[str | None, typer.Option(help="eyewitness, doctor, teacher, ...")] = None,
    date: Annotated[str | None, typer.Option(help="Interview date YYYY-MM-DD.")] = None,
    place: Annotated[str | None, typer.Option(help="Where, as a town or district.")] = None,
    language: Annotated[str | None, typer.Option(help="Language of the account.")] = None,
    consent: Annotated[
        str | None, typer.Option(help="may_quote, named_bodies, internal_only")
    ] = None,
    share_with: Annotated[
        list[str] | None, typer.Option("--share-with", help="A body the account may go to.")
    ] = None,
    interviewer: Annotated[str | None, typer.Option(help="Who took the interview.")] = None,
    incident: Annotated[int | None, typer.Option(help="Incident the account describes.")] = None,
    key_file: KeyFileOption = None,
    passphrase: PassphraseOption = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a testimony; name, contact and exact location are asked for and stored encrypted.

    Identity fields come from FILE (``identity: {name, contact, exact_location}``) or prompts,
    never from options (they would stay in the shell history).

    Example: docket testimony add interview-17.yaml --key-file ~/.docket/keys/identity.key
    """
    fields: dict[str, Any] = _read_interview_file(file) if file else {}
    given = {
        "role": role,
        "interview_date": date,
        "place": place,
        "language": language,
        "consent": consent,
        "interviewer": interviewer,
        "incident_id": incident,
    }
    fields.update({k: v for k, v in given.items() if v is not None})
    if share_with:
        fields["share_with"] = share_with
    identity_fields = fields.pop("identity", None) or {}
    if file is None:
        _ask(fields, "account", "Account (the witness's words)")
        for name in IDENTITY_FIELDS:
            if sys.stdin.isatty():
                identity_fields[name] = (
                    typer.prompt(
                        f"Witness {name.replace('_', ' ')} (encrypted; empty to skip)",
                        default="",
                        show_default=False,
                        hide_input=True,
                    )
                    or None
                )
    _ask(fields, "role", "Role")
    _ask(fields, "consent", "Consent")
    identity = Identity.model_validate(identity_fields) if identity_fields else None
    interview = Interview(
        account=str(fields.pop("account", "")),
        role=str(fields.pop("role")),
        consent=str(fields.pop("consent")),
        interview_date=_day(fields.pop("interview_date", None)),
        share_with=[str(b) for b in fields.pop("share_with", None) or []],
        **{
            k: fields.pop(k)
            for k in ("place", "language", "interviewer", "incident_id")
            if k in fields
        },
    )
    if fields:
        raise InputError(
            f"{file}: unknown fields {', '.join(sorted(fields))}; "
            f"an interview file has {', '.join(INTERVIEW_FIELDS)}"
        )
    key = resolve_key(key_file, passphrase, required=identity is not None)
    with _open(db) as workspace:
        stored = workspace.add_testimony(interview, identity, key)
    if as_json:
        print_json(stored)
    else:
        sealed = (
            f", identity sealed with key {stored.identity_key_id}" if stored.identity_key_id else ""
        )
        console.print(
            f"testimony #{stored.id} stored as {stored.pseudonym} "
            f"(document {stored.document_id}{sealed})",
            highlight=False,
        )


def _day(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"interview date {value!r} is not a date; use YYYY-MM-DD") from None


@testimony_app.command("list")
def list_(
    incident: Annotated[int | None, typer.Option(help="Only those about this incident.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List testimonies by pseudonym (identities are never listed).

    Example: docket testimony list --incident 4
    """
    with _open(db) as workspace:
        found = workspace.testimonies(incident_id=incident)
    if as_json:
        print_json([t.model_dump(mode="json", exclude={"account"}) for t in found])
        return
    table = Table("id", "pseudonym", "role", "date", "place", "consent", "document", box=None)
    for t in found:
        table.add_row(
            str(t.id),
            t.pseudonym,
            t.role,
            str(t.interview_date or "—"),
            t.place or "—",
            t.consent,
            str(t.document_id),
        )
    console.print(table)


@testimony_app.command("show")
def show(
    testimony_id: Annotated[int, typer.Argument(help="Testimony id.")],
    identity: Annotated[
        bool, typer.Option("--identity", help="Open the witness's identity.")
    ] = False,
    key_file: KeyFileOption = None,
    passphrase: PassphraseOption = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show a testimony; with --identity and the key, who the witness is.

    Example: docket testimony show 2 --identity --key-file ~/.docket/keys/identity.key
    """
    key = resolve_key(key_file, passphrase, required=True) if identity else None
    with _open(db) as workspace:
        found = workspace.testimony(testimony_id, key)
    if as_json:
        print_json(found)
        return
    console.print(f"[bold]testimony #{found.id} {found.pseudonym}[/bold]", highlight=False)
    for label, value in [
        ("role", found.role),
        ("interview date", found.interview_date),
        ("place", found.place),
        ("language", found.language),
        ("consent", found.consent),
        ("share with", ", ".join(found.share_with)),
        ("interviewer", found.interviewer),
        ("incident", found.incident_id),
        ("document", found.document_id),
    ]:
        if value:
            console.print(f"[dim]{label}:[/dim] {value}", highlight=False)
    if found.identity is not None:
        for name, value in found.identity.model_dump(exclude_none=True).items():
            console.print(f"[dim]{name}:[/dim] {value}", highlight=False)
    elif found.identity_key_id:
        console.print(
            f"[dim]identity:[/dim] encrypted (key {found.identity_key_id}); "
            "add --identity with the key to read it",
            highlight=False,
        )
    console.print()
    console.print(found.account or "", highlight=False, markup=False)


@testimony_app.command("consent")
def consent(
    testimony_id: Annotated[int, typer.Argument(help="Testimony id.")],
    scope: Annotated[str, typer.Option("--consent", help="may_quote, named_bodies, internal_only")],
    share_with: Annotated[
        list[str] | None, typer.Option("--share-with", help="A body the account may go to.")
    ] = None,
    reason: Annotated[str | None, typer.Option(help="Why (kept in the audit log).")] = None,
    db: DbOption = None,
) -> None:
    """Record that a witness changed what they agree to (e.g. withdrew consent to share).

    Example: docket testimony consent 2 --consent internal_only --reason "witness asked, 2020-03-01"
    """
    with _open(db) as workspace:
        changed = workspace.set_consent(testimony_id, scope, share_with or [], reason)
    console.print(f"{changed.pseudonym}: consent now {changed.consent}", highlight=False)


@keys_app.command("rotate")
def rotate(
    old_key_file: Annotated[
        Path | None, typer.Option("--old-key-file", help="Key the identities are sealed with.")
    ] = None,
    old_passphrase: Annotated[
        bool, typer.Option("--old-passphrase", help="They are sealed with a passphrase.")
    ] = False,
    new_key_file: Annotated[
        Path | None, typer.Option("--new-key-file", help="Key to seal them with from now on.")
    ] = None,
    new_passphrase: Annotated[
        bool, typer.Option("--new-passphrase", help="Seal them with a new passphrase.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Re-seal every witness identity with a new key, in one transaction (all or nothing).

    Example: docket keys rotate --old-key-file old/identity.key --new-key-file new/identity.key
    """
    old = _key_from(old_key_file, old_passphrase, "Old passphrase", "--old-key-file")
    new = _key_from(new_key_file, new_passphrase, "New passphrase", "--new-key-file")
    with _open(db) as workspace:
        count = workspace.rotate_identity_key(old, new)
    console.print(f"{count} identities re-sealed with key {new.key_id}", highlight=False)


def _key_from(path: Path | None, passphrase: bool, prompt: str, option: str) -> IdentityKey:
    if passphrase:
        return PassphraseKey(typer.prompt(prompt, hide_input=True))
    if path is None:
        raise InputError(f"give {option} or the matching passphrase option")
    return FileKey.load(path)


@keys_app.command("init")
def init(
    folder: Annotated[
        Path | None, typer.Option("--dir", help="Where to write the keys (default $DOCKET_KEYS).")
    ] = None,
    force: Annotated[
        bool, typer.Option(help="Replace existing keys (old data stays sealed).")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Create the AES identity key and the Ed25519 package signing key (owner-only files).

    Example: docket keys init --dir ~/.docket/keys
    """
    from docket.evidence.keys import init_keys

    made = init_keys(folder or default_keys_dir(), force=force)
    if as_json:
        print_json({k: str(v) for k, v in made.__dict__.items()})
        return
    console.print(
        f"identity key {made.identity_key_id}: {made.identity} (mode 600)", highlight=False
    )
    console.print(f"signing key {made.signing_key_id}: {made.signing} (mode 600)", highlight=False)
    console.print(
        f"public key: {made.public} (give it to whoever checks your packages)", highlight=False
    )
    console.print(
        "[yellow]Back these up offline: without identity.key the witnesses' "
        "identities cannot be read.[/yellow]"
    )
