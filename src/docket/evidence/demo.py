"""Demo step of the evidence stage: invented photos with EXIF near the demo places, two invented
testimonies with sealed identities, a location note, a signed package, and ``docket verify``.

Everything here is made up for the demo: the pictures are drawn with Pillow, the people do not
exist.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from docket.evidence.keys import FileKey, init_keys
from docket.evidence.models import Identity
from docket.evidence.testimony import Interview

ARIHA = (35.8136, 36.6103)
SARMIN = (35.9036, 36.7253)

TESTIMONIES = [
    (
        Interview(
            account=(
                "I was on the night shift in the emergency department of al-Shami hospital in "
                "Ariha on 29 January 2020. Shortly after midnight the first strike hit the "
                "courtyard; we moved the patients to the basement, and two more strikes followed "
                "within a quarter of an hour. A colleague of mine, a nurse, was killed. The "
                "emergency department and the operating theatre could not be used afterwards."
            ),
            role="nurse",
            consent="named_bodies",
            share_with=["UN Commission of Inquiry"],
            interview_date=dt.date(2020, 2, 3),
            place="Ariha",
            language="en",
            interviewer="Demo field team",
        ),
        Identity(
            name="Invented Nurse Name", contact="+000 0000 0001", exact_location="Ariha, west"
        ),
    ),
    (
        Interview(
            account=(
                "I teach at the al-Nour primary school in Sarmin. On 4 February 2020, at about "
                "half past nine, shells landed in the school yard while the children were "
                "outside for their break. Four children died and six were wounded. The school "
                "has been closed since."
            ),
            role="teacher",
            consent="may_quote",
            interview_date=dt.date(2020, 2, 6),
            place="Sarmin",
            language="en",
            interviewer="Demo field team",
        ),
        Identity(name="Invented Teacher Name", contact="teacher@example.invalid"),
    ),
]


def run(ctx: Any) -> None:
    db = ctx.db
    folder = ctx.out_dir / "evidence-samples"
    _reset(folder, db.evidence_dir, ctx.db_path)
    keys = init_keys(ctx.out_dir / "keys", force=True)
    key = FileKey.load(keys.identity)
    ariha, sarmin = _incident_for(db, "Ariha", ARIHA), _incident_for(db, "Sarmin", SARMIN)

    night = _photo(folder / "ariha-hospital-night.jpg", 1, ARIHA, "2020:01:29 00:24:10")
    db.add_evidence([night], source="Ariha Media Office", incident_id=ariha)
    repost = folder / "ariha-hospital-repost.jpg"
    Image.open(night).resize((480, 360)).save(repost, quality=60)  # re-encoded, EXIF stripped
    reposted = db.add_evidence([repost], source="Telegram channel", incident_id=ariha).added[0]
    school = _photo(folder / "sarmin-school-yard.jpg", 2, SARMIN, "2020:02:04 09:51:00")
    db.add_evidence([school], source="Sarmin Local Council", incident_id=sarmin)
    db.locate(
        1,
        lat=ARIHA[0],
        lon=ARIHA[1],
        method="satellite_match",
        note="hospital block and water tower match imagery of January 2020 (invented demo note)",
    )
    accounts = []
    for interview, identity in TESTIMONIES:
        interview.incident_id = ariha if interview.place == "Ariha" else sarmin
        accounts.append(db.add_testimony(interview, identity, key).document_id)
    _extract_accounts(ctx, accounts)

    ctx.console.print(
        f"[bold]evidence[/bold] stored 3 invented photos in {db.evidence_dir} "
        f"(the repost {reposted.similar[0].describe()}), 2 invented testimonies as witness "
        "documents W-0001 and W-0002 with identities AES-GCM-sealed"
    )
    ctx.outputs["evidence folder"] = db.evidence_dir
    ctx.outputs["keys (demo only)"] = keys.folder
    if ariha is not None:
        out = ctx.out_dir / f"incident-{ariha}-package.zip"
        db.package(ariha, out, keys_dir=keys.folder, for_body="UN Commission of Inquiry")
        check = db.verify_package(out, keys.public)
        ctx.console.print(
            f"[bold]evidence[/bold] package {out.name}: {check.files_checked} files, "
            f"signature {'verified' if check.ok else 'FAILED'}"
        )
        ctx.outputs["evidence package"] = out
    else:
        ctx.console.print(
            "[bold]evidence[/bold] package skipped: no incident at Ariha yet (the link stage "
            "makes incidents; then `docket package ID --out FILE.zip`)"
        )
    report = db.verify()
    checked = ", ".join(f"{n} {what}" for what, n in report.checked.items())
    n = len(report.problems)
    status = "[green]passes[/green]" if report.ok else f"[red]{n} problem{'s' * (n != 1)}[/red]"
    ctx.console.print(f"[bold]verify[/bold]  {checked}: {status}")
    for problem in report.problems:  # what `docket verify` would print, so it can be looked into
        ctx.console.print(f"  {problem}", markup=False)


def _extract_accounts(ctx: Any, document_ids: list[int]) -> None:
    """Accounts are witness documents: read them for claims like any report, if extraction is
    part of this build."""
    if not hasattr(ctx.db, "extract"):
        return
    report = ctx.db.extract(document_ids=document_ids)
    claims = getattr(report, "claims", "?")
    ctx.console.print(
        f"[bold]evidence[/bold] extracted {claims} claims from the 2 testimony accounts "
        "(source kind witness)"
    )


def _reset(folder: Path, evidence_dir: Path, db_path: Path) -> None:
    """Start from an empty sample folder, and an empty evidence folder if it is the demo's own."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    if evidence_dir == db_path.with_name(db_path.stem + ".evidence"):
        shutil.rmtree(evidence_dir, ignore_errors=True)


def _incident_for(db: Any, place: str, where: tuple[float, float]) -> int | None:
    """The first incident named after ``place`` or within ~5 km of it, made by the link stage."""
    try:
        found = db.incidents() if hasattr(db, "incidents") else []
    except Exception:  # noqa: BLE001 - another stage's listing must not stop this demo step
        return None
    for incident in found:
        at = incident.place
        if at is None:
            continue
        near = at.lat is not None and at.lon is not None
        near = near and abs(at.lat - where[0]) < 0.05 and abs(at.lon - where[1]) < 0.05
        if near or place.lower() in at.name.lower():
            return int(incident.id)
    return None


def _photo(path: Path, seed: int, where: tuple[float, float], taken: str) -> Path:
    """A drawn picture of a damaged building, with phone-like EXIF (camera, time, GPS)."""
    img = Image.new("RGB", (800, 600), (120, 140, 170))
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 420, 800, 600], fill=(90, 80, 70))
    left = 120 + seed * 60
    draw.rectangle([left, 180, left + 420, 440], fill=(200, 195, 180))
    for col in range(5):
        for row in range(3):
            x, y = left + 30 + col * 80, 210 + row * 70
            draw.rectangle([x, y, x + 40, y + 40], fill=(40, 40, 50))
    draw.polygon([(left + 260, 180), (left + 330, 250), (left + 420, 180)], fill=(60, 55, 50))
    for i in range(6):
        r = 40 + i * 18
        cx, cy = left + 300 + i * 15, 150 - i * 22
        draw.ellipse([cx - r, cy - r // 2, cx + r, cy + r // 2], fill=(70 + i * 12,) * 3)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Demo", "Invented Phone"
    exif.get_ifd(0x8769)[0x9003] = taken
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", _dms(where[0])
    gps[3], gps[4] = "E", _dms(where[1])
    img.save(path, "JPEG", quality=88, exif=exif)
    return path


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    return (float(degrees), float(minutes), round((value - degrees - minutes / 60) * 3600, 2))
