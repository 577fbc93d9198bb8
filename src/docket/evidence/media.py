"""Reading what a media file says about itself: format, EXIF date/GPS/device, duration and codec,
and a perceptual hash of images for finding near-duplicates.

Every check runs on the copy staged in the evidence directory, so what is checked is exactly what
is stored. A file that cannot be used raises :class:`IntakeError` with one clear reason; a file
that is usable but whose metadata is not (an oversized EXIF block, no ffprobe) gets a warning.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import shutil
import subprocess
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

from docket.errors import IntakeError
from docket.evidence.vocab import Signature, signatures, sniff

MAX_EXIF_BYTES = 64 * 1024  # a JPEG APP1 segment cannot be larger; more is not a camera's EXIF
MAX_PIXELS = Image.MAX_IMAGE_PIXELS or 89_478_485
MAX_TAG_CHARS = 200
FFPROBE_TIMEOUT = 60

TAG_MAKE, TAG_MODEL, TAG_SOFTWARE, TAG_DATETIME = 0x010F, 0x0110, 0x0131, 0x0132
IFD_EXIF, IFD_GPS = 0x8769, 0x8825
TAG_DATETIME_ORIGINAL = 0x9003


class UnknownFormat(IntakeError):
    """The file is not one of the media formats in ``data/evidence.yaml``."""


@dataclass
class MediaInfo:
    """What was learnt from one file."""

    signature: Signature
    captured: dt.datetime | None = None
    phash: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.signature.kind

    @property
    def media_type(self) -> str:
        return self.signature.media_type


def inspect(path: Path, size: int, shown_as: str | Path) -> MediaInfo:
    """Identify and read the file at ``path``; errors name ``shown_as`` (the user's file name)."""
    if size == 0:
        raise IntakeError(shown_as, "empty file (0 bytes)")
    with path.open("rb") as stream:
        head = stream.read(64)
    signature = sniff(head)
    if signature is None:
        formats = ", ".join(sorted({s.ext for s in signatures()}))
        raise UnknownFormat(
            shown_as,
            f"unknown media format (first bytes {head[:8].hex(' ')}); supported: {formats}. "
            "Text reports go in with `docket ingest`",
        )
    info = MediaInfo(signature)
    reader = READERS.get(signature.kind)
    if reader is not None:
        reader(path, info, shown_as)
    return info


# --- images ----------------------------------------------------------------------------------


def _read_image(path: Path, info: MediaInfo, shown_as: str | Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as img:
                img.verify()
            with Image.open(path) as img:
                info.metadata.update(format=img.format, width=img.width, height=img.height)
                _read_exif(img, info)
                img.draft("L", (512, 512))
                img.load()
                import imagehash  # numpy and scipy: loaded only when an image is hashed

                info.phash = str(imagehash.phash(img))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise IntakeError(shown_as, _bomb_message(str(exc))) from None
        except UnidentifiedImageError:
            raise IntakeError(
                shown_as, f"corrupt image: not readable as {info.signature.ext.upper()}"
            ) from None
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise IntakeError(shown_as, f"corrupt or truncated image: {exc}") from None


def _bomb_message(pillow_says: str) -> str:
    claimed = re.search(r"\((\d+) pixels\)", pillow_says)
    size = f"{int(claimed.group(1)):,} pixels" if claimed else pillow_says
    return f"refused as a possible decompression bomb: {size}, over the limit of {MAX_PIXELS:,}"


def _read_exif(img: Image.Image, info: MediaInfo) -> None:
    raw = img.info.get("exif")
    if isinstance(raw, bytes) and len(raw) > MAX_EXIF_BYTES:
        info.warnings.append(
            f"EXIF block of {len(raw):,} bytes is over the {MAX_EXIF_BYTES // 1024} KiB limit; "
            "ignored (the file is stored unchanged)"
        )
        return
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            found = _exif_fields(img.getexif())
    except Exception as exc:  # noqa: BLE001 - any parser failure means: no usable EXIF
        info.warnings.append(f"EXIF unreadable ({type(exc).__name__}: {exc}); ignored")
        return
    for message in dict.fromkeys(str(w.message).strip() for w in caught):
        info.warnings.append(f"EXIF damaged: {message}")
    if found:
        info.metadata["exif"] = found
    if stamp := found.get("datetime_original") or found.get("datetime"):
        info.captured = _exif_datetime(stamp)


def _exif_fields(exif: Image.Exif) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for tag, name in ((TAG_MAKE, "make"), (TAG_MODEL, "model"), (TAG_SOFTWARE, "software")):
        if (value := _text(exif.get(tag))) is not None:
            found[name] = value
    if (value := _text(exif.get(TAG_DATETIME))) is not None:
        found["datetime"] = value
    if (value := _text(exif.get_ifd(IFD_EXIF).get(TAG_DATETIME_ORIGINAL))) is not None:
        found["datetime_original"] = value
    gps = exif.get_ifd(IFD_GPS)
    lat = _gps_degrees(gps.get(2), gps.get(1), "S")
    lon = _gps_degrees(gps.get(4), gps.get(3), "W")
    if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
        found["gps"] = {"lat": round(lat, 6), "lon": round(lon, 6)}
    return found


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = str(value).replace("\x00", "").strip()
    return text[:MAX_TAG_CHARS] or None


def _gps_degrees(parts: Any, ref: Any, negative: str) -> float | None:
    if not isinstance(parts, tuple | list) or len(parts) != 3:
        return None
    degrees, minutes, seconds = (float(p) for p in parts)
    value = degrees + minutes / 60 + seconds / 3600
    return -value if _text(ref) == negative else value


def _exif_datetime(stamp: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(stamp[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None


# --- video and audio -------------------------------------------------------------------------


def _read_av(path: Path, info: MediaInfo, shown_as: str | Path) -> None:
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        info.warnings.append("duration and codec not read: ffprobe is not installed")
        return
    try:
        result = subprocess.run(
            [
                ffprobe,
                "-v",
                "error",
                "-print_format",
                "json",
                "-show_format",
                "-show_streams",
                str(path),
            ],
            capture_output=True,
            timeout=FFPROBE_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        info.warnings.append(f"ffprobe gave no answer within {FFPROBE_TIMEOUT} s; not read")
        return
    if result.returncode != 0:
        said = result.stderr.decode("utf-8", "replace").replace(f"{path}: ", "").strip()
        reason = said.splitlines()[-1] if said else f"exit code {result.returncode}"
        raise IntakeError(shown_as, f"corrupt {info.kind}: ffprobe cannot read it ({reason})")
    probe = json.loads(result.stdout or b"{}")
    info.metadata.update(_probe_fields(probe))
    created = info.metadata.get("creation_time")
    if created:
        with contextlib.suppress(ValueError):
            moment = dt.datetime.fromisoformat(created.replace("Z", "+00:00"))
            info.captured = moment.replace(tzinfo=None)


def _probe_fields(probe: dict[str, Any]) -> dict[str, Any]:
    fmt = probe.get("format", {})
    streams = probe.get("streams", [])
    found: dict[str, Any] = {}
    if "duration" in fmt:
        found["duration_s"] = round(float(fmt["duration"]), 3)
    found["codecs"] = [s.get("codec_name") for s in streams if s.get("codec_name")]
    video = next((s for s in streams if s.get("codec_type") == "video"), None)
    if video:
        found["width"], found["height"] = video.get("width"), video.get("height")
    if created := (fmt.get("tags") or {}).get("creation_time"):
        found["creation_time"] = str(created)[:40]
    return found


# --- PDF -------------------------------------------------------------------------------------


def _read_pdf(path: Path, info: MediaInfo, shown_as: str | Path) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(path)
        info.metadata["pages"] = len(reader.pages)
    except (PyPdfError, OSError, ValueError, KeyError) as exc:
        raise IntakeError(shown_as, f"corrupt or truncated PDF: {exc}") from None


READERS = {"image": _read_image, "video": _read_av, "audio": _read_av, "pdf": _read_pdf}
