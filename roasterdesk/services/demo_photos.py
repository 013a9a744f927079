"""Small drawn pictures that stand in for visit photos in the demo (PNG, made without Qt).

Each picture is a simple scene — a hillside with coffee rows, raised drying beds, ripe cherries,
a nursery, a portrait — drawn pixel by pixel from a fixed seed, so the bytes (and therefore the
SHA-256 names in the attachments folder) are the same on every machine.
"""

from __future__ import annotations

import hashlib
import math
import os
import random
import struct
import tempfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

WIDTH, HEIGHT = 240, 160
Colour = tuple[int, int, int]


@dataclass(frozen=True)
class DemoImage:
    kind: str  # "hillside", "drying beds", "cherries", "nursery", "portrait"
    sha256: str
    data: bytes
    caption: str


CAPTIONS = {
    "hillside": ("Coffee rows under inga shade on the upper plot", "View over the farm at dawn",
                 "The new plot planted after renovation"),
    "drying beds": ("Raised drying beds, parchment on day six", "Cherries drying on African beds",
                    "Turning the parchment on the patio"),
    "cherries": ("Ripe cherries ready for selective picking", "Sorting cherries before pulping"),
    "nursery": ("Seedlings in the nursery, rust-resistant variety", "Nursery shade house"),
    "portrait": ("At the wet mill", "In front of the drying beds", "After the cupping session"),
}


def _png(pixels: list[bytearray]) -> bytes:
    raw = b"".join(b"\x00" + bytes(row) for row in pixels)

    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(
            ">I", zlib.crc32(tag + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


class _Canvas:
    def __init__(self) -> None:
        self.rows = [bytearray(WIDTH * 3) for _ in range(HEIGHT)]

    def put(self, x: int, y: int, c: Colour) -> None:
        if 0 <= x < WIDTH and 0 <= y < HEIGHT:
            self.rows[y][3 * x:3 * x + 3] = bytes(c)

    def rect(self, x0: int, y0: int, x1: int, y1: int, c: Colour) -> None:
        x0, x1 = max(0, x0), min(WIDTH, x1)
        for y in range(max(0, y0), min(HEIGHT, y1)):
            self.rows[y][3 * x0:3 * x1] = bytes(c) * (x1 - x0)

    def disc(self, cx: int, cy: int, r: int, c: Colour) -> None:
        for y in range(cy - r, cy + r + 1):
            half = int(math.sqrt(max(0, r * r - (y - cy) ** 2)))
            self.rect(cx - half, y, cx + half + 1, y + 1, c)

    def sky(self, top: Colour, bottom: Colour, until: int) -> None:
        for y in range(until):
            t = y / max(1, until - 1)
            self.rect(0, y, WIDTH, y + 1, _mix(top, bottom, t))


def _mix(a: Colour, b: Colour, t: float) -> Colour:
    return (int(a[0] + (b[0] - a[0]) * t), int(a[1] + (b[1] - a[1]) * t),
            int(a[2] + (b[2] - a[2]) * t))


def _hills(cv: _Canvas, r: random.Random, base: int, green: Colour) -> list[int]:
    phase, amp = r.uniform(0, 6), r.uniform(6, 18)
    tops = [int(base + amp * math.sin(x / 37 + phase) + 4 * math.sin(x / 11)) for x in range(WIDTH)]
    for x, top in enumerate(tops):
        for y in range(max(0, top), HEIGHT):
            shade = 1 - 0.35 * (y - top) / HEIGHT
            cv.put(x, y, (int(green[0] * shade), int(green[1] * shade), int(green[2] * shade)))
    return tops


def _scene(kind: str, r: random.Random) -> _Canvas:
    cv = _Canvas()
    cv.sky((r.randint(90, 140), r.randint(150, 190), r.randint(200, 240)), (225, 230, 235), 80)
    green = (r.randint(40, 70), r.randint(110, 150), r.randint(40, 70))
    tops = _hills(cv, r, r.randint(45, 75), green)
    if kind == "hillside":
        for row in range(6):
            y0 = 90 + row * 12
            for x in range(r.randint(0, 8), WIDTH, 10):
                if y0 > tops[x]:
                    cv.disc(x, y0, 4, (30, 90 + r.randint(0, 30), 35))
        for _ in range(3):
            x = r.randint(10, WIDTH - 10)
            cv.rect(x - 2, tops[x] - 30, x + 2, tops[x], (90, 60, 35))
            cv.disc(x, tops[x] - 36, 14, (35, 100, 45))
    elif kind == "drying beds":
        bed = (r.randint(140, 170), r.randint(40, 70), r.randint(30, 50))
        for i in range(3):
            y0 = 95 + i * 20
            cv.rect(10, y0, WIDTH - 10, y0 + 10, bed)
            for _ in range(160):
                cv.put(r.randint(10, WIDTH - 11), r.randint(y0, y0 + 9),
                       (r.randint(90, 200), r.randint(20, 60), 30))
            for x in (14, WIDTH // 2, WIDTH - 14):
                cv.rect(x - 1, y0 + 10, x + 1, y0 + 18, (80, 60, 40))
    elif kind == "cherries":
        cv.rect(0, 60, WIDTH, HEIGHT, (60, 110, 50))
        for _ in range(90):
            ripe = r.random() < 0.8
            c = (r.randint(170, 220), r.randint(10, 40), 30) if ripe else (120, 170, 60)
            cv.disc(r.randint(0, WIDTH), r.randint(60, HEIGHT), r.randint(4, 7), c)
    elif kind == "nursery":
        cv.rect(0, 80, WIDTH, HEIGHT, (95, 70, 45))
        for y in range(95, HEIGHT, 14):
            for x in range(8, WIDTH, 14):
                cv.rect(x - 3, y, x + 3, y + 8, (20, 20, 20))
                cv.disc(x, y - 3, 4, (50, 140 + r.randint(0, 40), 60))
    else:  # portrait: a silhouette in front of the farm
        cx = WIDTH // 2 + r.randint(-40, 40)
        shirt = (r.randint(40, 200), r.randint(40, 200), r.randint(40, 200))
        for y in range(100, HEIGHT):
            half = 18 + (y - 100) // 2
            cv.rect(cx - half, y, cx + half, y + 1, shirt)
        skin = r.choice([(120, 80, 55), (160, 110, 80), (90, 60, 40), (190, 140, 105)])
        cv.rect(cx - 5, 88, cx + 5, 102, skin)
        cv.disc(cx, 74, 17, skin)
        cv.rect(cx - 20, 54, cx + 20, 60, (200, 180, 120))  # hat brim
        cv.rect(cx - 12, 44, cx + 12, 56, (200, 180, 120))
    return cv


@lru_cache(maxsize=1)
def demo_images() -> tuple[DemoImage, ...]:
    """Twelve pictures, two or three of each kind; the same bytes on every call and machine."""
    kinds = ("hillside", "drying beds", "cherries", "nursery", "portrait", "hillside",
             "drying beds", "portrait", "cherries", "drying beds", "portrait", "hillside")
    images = []
    for i, kind in enumerate(kinds):
        r = random.Random(1000 + i)
        data = _png(_scene(kind, r).rows)
        images.append(DemoImage(kind, hashlib.sha256(data).hexdigest(), data,
                                CAPTIONS[kind][i % len(CAPTIONS[kind])]))
    return tuple(images)


def write_images(attachments_dir: Path) -> int:
    """Put the pictures into the attachments folder (named by content); returns how many."""
    from .attachments import stored_path

    attachments_dir.mkdir(parents=True, exist_ok=True)
    for img in demo_images():
        target = stored_path(attachments_dir, img.sha256, "photo.png")
        if target.exists():
            continue
        fd, tmp = tempfile.mkstemp(dir=attachments_dir, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(img.data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return len(demo_images())
