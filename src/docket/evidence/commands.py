"""CLI commands of the evidence stage (thin wrappers over :class:`docket.Docket` methods)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from docket._console import console, error_line, print_json, progress
from docket.errors import DocketError, IntakeError
from docket.evidence.add import Added

evidence_app = typer.Typer(
    help="Media evidence: photos, videos, audio, PDFs.", no_args_is_help=True
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]
DbOption = Annotated[str | None, typer.Option("--db", help="Database URL or SQLite file.")]


def parse_moment(value: str | None, option: str) -> dt.datetime | None:
    """``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM[:SS]`` as a naive UTC datetime."""
    if value is None:
        return None
    try:
        return dt.datetime.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        raise DocketError(
            f"{option} {value!r} is not a date or time; use YYYY-MM-DD[THH:MM]"
        ) from None


def _open(db: str | None):  # type: ignore[no-untyped-def]
    from docket.cli import open_db

    return open_db(db)


@evidence_app.command("add")
def add(
    paths: Annotated[list[Path], typer.Argument(help="Media files or folders.")],
    incident: Annotated[int | None, typer.Option(help="Incident the media documents.")] = None,
    source: Annotated[str | None, typer.Option(help="Who posted or gave the media.")] = None,
    captured: Annotated[
        str | None, typer.Option(help="When it was recorded, YYYY-MM-DD[THH:MM] (UTC).")
    ] = None,
    notes: Annotated[str | None, typer.Option(help="Free notes on provenance.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Store media files byte-for-byte by SHA-256, with EXIF/ffprobe metadata and near-duplicates.

    Example: docket evidence add photos/ --incident 4 --source "Idlib Media Centre"
    """
    when = parse_moment(captured, "--captured")
    with _open(db) as workspace, progress("Adding evidence", None, disable=as_json) as bar:

        def on_file(path: Path, outcome: Added | IntakeError) -> None:
            bar.advance()
            if isinstance(outcome, IntakeError):
                error_line(str(outcome))
            elif not as_json:
                _print_added(outcome)

        report = workspace.add_evidence(
            paths, incident_id=incident, source=source, captured=when, notes=notes, on_file=on_file
        )
    if as_json:
        print_json(report.as_dict())
    else:
        console.print(
            f"[green]{len(report.stored)} stored[/green], "
            f"{len(report.added) - len(report.stored)} already stored, "
            f"[{'red' if report.failed else 'green'}]{len(report.failed)} failed[/]"
            + (f", {len(report.skipped)} skipped (not media)" if report.skipped else "")
        )
    if report.failed:
        raise typer.Exit(1)


def _print_added(added: Added) -> None:
    item = added.evidence
    status = "stored" if added.new else "already stored"
    console.print(
        f"#{item.id} {added.path}: {status} ({item.kind}, {item.size:,} bytes, "
        f"sha256 {item.sha256[:16]}…)",
        highlight=False,
        markup=False,
    )
    for similar in added.similar:
        console.print(f"  [yellow]near-duplicate:[/yellow] {similar.describe()}", highlight=False)
    for warning in added.warnings:
        console.print(f"  [yellow]note:[/yellow] {warning}", highlight=False)


@evidence_app.command("list")
def list_(
    incident: Annotated[int | None, typer.Option(help="Only media of this incident.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List stored media evidence.

    Example: docket evidence list --incident 4
    """
    with _open(db) as workspace:
        items = workspace.evidence_list(incident_id=incident)
    if as_json:
        print_json(items)
        return
    table = Table("id", "kind", "file", "source", "captured", "incident", "sha256", box=None)
    for e in items:
        table.add_row(
            str(e.id),
            e.kind,
            e.filename or "",
            e.source or "—",
            str(e.captured or "—"),
            str(e.incident_id or "—"),
            e.sha256[:16],
        )
    console.print(table)


@evidence_app.command("show")
def show(
    evidence_id: Annotated[int, typer.Argument(help="Evidence id.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one piece of evidence: metadata, location notes, near-duplicates.

    Example: docket evidence show 3
    """
    with _open(db) as workspace:
        item = workspace.evidence(evidence_id)
        similar = workspace.similar_evidence(evidence_id)
        path = workspace.blobs.path_for(item.sha256)
    if as_json:
        print_json({**item.model_dump(mode="json"), "similar": similar, "path": str(path)})
        return
    console.print(f"[bold]evidence #{item.id}[/bold] {item.filename or ''}", highlight=False)
    for label, value in [
        ("kind", f"{item.kind} ({item.media_type}), {item.size:,} bytes"),
        ("sha256", item.sha256),
        ("stored at", path),
        ("source", item.source),
        ("captured", item.captured),
        ("incident", item.incident_id),
        ("notes", item.notes),
        ("metadata", item.metadata or None),
        ("added", f"{item.created_at} by {item.created_by}"),
    ]:
        if value:
            console.print(f"[dim]{label}:[/dim] {value}", highlight=False)
    for loc in item.locations:
        where = f"{loc.lat}, {loc.lon}" if loc.lat is not None else ""
        when = f" at {loc.observed_at}" if loc.observed_at else ""
        by = f"by {loc.method} ({loc.created_by})"
        console.print(f"[dim]located:[/dim] {where}{when} {by}: {loc.note or ''}", highlight=False)
    for s in similar:
        console.print(f"[yellow]near-duplicate:[/yellow] {s.describe()}", highlight=False)


@evidence_app.command("locate")
def locate(
    evidence_id: Annotated[int, typer.Argument(help="Evidence id.")],
    method: Annotated[str, typer.Option(help="How it was located (see data/evidence.yaml).")],
    lat: Annotated[float | None, typer.Option(help="Latitude (WGS84).")] = None,
    lon: Annotated[float | None, typer.Option(help="Longitude (WGS84).")] = None,
    observed_at: Annotated[
        str | None, typer.Option(help="Chronolocation: when it was filmed, YYYY-MM-DDTHH:MM.")
    ] = None,
    note: Annotated[str | None, typer.Option(help="What matched, and how sure.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Attach a geolocation or chronolocation note (coordinates/time and method) to evidence.

    Example: docket evidence locate 3 --lat 35.8142 --lon 36.6105 --method satellite_match
    """
    when = parse_moment(observed_at, "--observed-at")
    with _open(db) as workspace:
        location = workspace.locate(
            evidence_id, method=method, lat=lat, lon=lon, observed_at=when, note=note
        )
    if as_json:
        print_json(location)
    else:
        console.print(
            f"evidence #{evidence_id}: location note #{location.id} added", highlight=False
        )


@evidence_app.command("attach")
def attach(
    evidence_id: Annotated[int, typer.Argument(help="Evidence id.")],
    incident: Annotated[int | None, typer.Option(help="Incident id; leave out to detach.")] = None,
    reason: Annotated[str | None, typer.Option(help="Why (kept in the audit log).")] = None,
    db: DbOption = None,
) -> None:
    """Attach evidence to an incident, or detach it without --incident.

    Example: docket evidence attach 3 --incident 4 --reason "same strike, per geolocation"
    """
    with _open(db) as workspace:
        workspace.attach_evidence(evidence_id, incident, reason)
    where = f"incident {incident}" if incident is not None else "no incident"
    console.print(f"evidence #{evidence_id} now belongs to {where}", highlight=False)


@evidence_app.command("review")
def review(
    evidence_id: Annotated[int, typer.Argument(help="Evidence id.")],
    status: Annotated[str, typer.Option(help="verified, partly_verified, disputed, ...")],
    note: Annotated[str | None, typer.Option(help="What was checked and how.")] = None,
    db: DbOption = None,
) -> None:
    """Record a verdict on a piece of media after checking it (kept in the audit log).

    Example: docket evidence review 3 --status verified --note "geolocated; shadows fit 09:40"
    """
    with _open(db) as workspace:
        workspace.review_evidence(evidence_id, status, note)
    console.print(f"evidence #{evidence_id}: {status}", highlight=False)


def verify(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Re-hash every document original, text and evidence file, and walk the audit chain.

    Claims and incidents are checked against the audit entry with the latest word on each: a
    link run's batch entry (its digest re-computed over the records it covers) until a review,
    re-link or recorded edit takes over for a record. Prints each problem (record or batch,
    audit entry, expected and found hash, broken link) and exits 1 if any.

    Example: docket verify
    """
    with _open(db) as workspace:
        total = workspace.verify_total()
        with progress("Verifying", total, disable=as_json) as bar:
            report = workspace.verify(bar.advance)
    if as_json:
        print_json(report.as_dict())
    else:
        checked = ", ".join(f"{n} {what}" for what, n in report.checked.items())
        console.print(f"checked {checked}", highlight=False)
        for note in report.notes:
            console.print(f"[yellow]note:[/yellow] {note}", highlight=False)
        for problem in report.problems:
            error_line(str(problem))
        if report.ok:
            console.print("[green]verified: every hash and the audit chain hold[/green]")
        else:
            console.print(f"[red]{len(report.problems)} problems[/red]")
    if not report.ok:
        raise typer.Exit(1)


def package(
    incident_id: Annotated[int, typer.Argument(help="Incident id.")],
    out: Annotated[Path, typer.Option("--out", help="Zip file to write.")],
    keys: Annotated[
        Path | None, typer.Option("--keys", help="Folder with signing.key (default $DOCKET_KEYS).")
    ] = None,
    for_body: Annotated[
        str | None, typer.Option("--for", help="Body it goes to (consent 'named_bodies').")
    ] = None,
    include_identities: Annotated[
        bool, typer.Option("--include-identities", help="Add witness identities (needs the key).")
    ] = False,
    key_file: Annotated[Path | None, typer.Option("--key-file", help="AES identity key.")] = None,
    passphrase: Annotated[bool, typer.Option("--passphrase", help="Identity passphrase.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Bundle an incident's originals, media, claims, testimonies and custody in a signed zip.

    Example: docket package 4 --out incident-4.zip --for "UN Commission of Inquiry"
    """
    from docket.evidence.testimony_commands import resolve_key

    identity_key = resolve_key(key_file, passphrase, required=True) if include_identities else None
    with _open(db) as workspace:
        made = workspace.package(
            incident_id, out, keys_dir=keys, for_body=for_body, identity_key=identity_key
        )
    if as_json:
        print_json({**made.__dict__, "path": str(made.path)})
        return
    console.print(
        f"{made.path}: incident {made.incident_id}, {made.files} files, signed by key "
        f"{made.signer}{', with identities' if made.identities else ''}",
        highlight=False,
    )
    for held in made.withheld:
        console.print(f"  withheld {held['testimony']}: {held['reason']}", highlight=False)


def verify_package_command(
    path: Annotated[Path, typer.Argument(help="Package zip file.")],
    public_key: Annotated[
        Path | None, typer.Option("--public-key", help="Expected signer's signing.pub.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Check an evidence package offline: signature, every file's hash, custody entries.

    Example: docket verify-package incident-4.zip --public-key partner-signing.pub
    """
    from docket.workspace import Docket

    check = Docket.verify_package(path, public_key)
    if as_json:
        print_json(check.as_dict())
    else:
        m = check.manifest
        console.print(
            f"{path}: incident {m.get('incident_id')}, signed by key {m.get('signer')} "
            f"on {m.get('created_at')}, {check.files_checked} files checked",
            highlight=False,
        )
        for problem in check.problems:
            error_line(problem)
        if check.ok:
            console.print("[green]package verified[/green]")
    if not check.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the main docket app."""
    from docket.evidence.testimony_commands import keys_app, testimony_app

    app.add_typer(evidence_app, name="evidence")
    app.add_typer(testimony_app, name="testimony")
    app.add_typer(keys_app, name="keys")
    app.command("verify")(verify)
    app.command("package")(package)
    app.command("verify-package")(verify_package_command)
