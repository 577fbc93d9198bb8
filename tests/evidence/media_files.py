"""Generators of real media files for the evidence tests (written by the tests themselves)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw

EXIF_IFD, GPS_IFD = 0x8769, 0x8825


def _dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600, 2)
    return (float(degrees), float(minutes), seconds)


def scene(seed: int, size: tuple[int, int] = (320, 240)) -> Image.Image:
    """A picture with shapes placed by ``seed``: different seeds look different."""
    img = Image.new("RGB", size, (200, 190, 170))
    draw = ImageDraw.Draw(img)
    w, h = size
    for i in range(6):
        x = (seed * 37 + i * 53) % (w - 60)
        y = (seed * 91 + i * 29) % (h - 60)
        shade = (seed * 40 + i * 30) % 200
        draw.rectangle([x, y, x + 40 + i * 5, y + 30 + i * 4], fill=(shade, 60, 255 - shade))
    draw.ellipse([w // 3, h // 3, w // 3 + 50 + seed % 40, h // 3 + 50], fill=(20, 20, 20))
    return img


def photo(
    path: Path,
    seed: int = 1,
    *,
    taken: str | None = "2020:01:29 00:41:10",
    lat: float | None = 35.8142,
    lon: float | None = 36.6105,
    make: str = "Samsung",
    model: str = "SM-A105F",
    size: tuple[int, int] = (320, 240),
) -> Path:
    """A JPEG with EXIF camera, date and GPS, like a phone photo."""
    exif = Image.Exif()
    exif[0x010F] = make
    exif[0x0110] = model
    if taken:
        exif.get_ifd(EXIF_IFD)[0x9003] = taken
    if lat is not None and lon is not None:
        gps = exif.get_ifd(GPS_IFD)
        gps[1] = "N" if lat >= 0 else "S"
        gps[2] = _dms(lat)
        gps[3] = "E" if lon >= 0 else "W"
        gps[4] = _dms(lon)
    scene(seed, size).save(path, "JPEG", quality=90, exif=exif)
    return path


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def decompression_bomb(path: Path, side: int = 100_000) -> Path:
    """A tiny PNG whose header claims ``side`` × ``side`` pixels."""
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + _png_chunk(b"IEND", b"")
    )
    return path


def png_with_exif_block(path: Path, exif_payload: bytes) -> Path:
    """A valid PNG carrying ``exif_payload`` as its eXIf chunk."""
    header = struct.pack(">IIBBBBB", 16, 16, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + bytes(range(16)) for _ in range(16))
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"eXIf", exif_payload)
        + _png_chunk(b"IDAT", zlib.compress(rows))
        + _png_chunk(b"IEND", b"")
    )
    return path
