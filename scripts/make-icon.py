#!/usr/bin/env python3
"""Draws resources/icon.png (512x512 RGBA): on a blue rounded square, a white package, a mirror
line, and the package's fainter reflection. Standard library only; rerun after edits."""
import struct
import zlib
from pathlib import Path

SIZE = 512
SAMPLES = 3  # per axis, for anti-aliased edges
BACKGROUND_TOP = (0x2a, 0x6f, 0xbd)
BACKGROUND_BOTTOM = (0x1a, 0x4f, 0x8f)
WHITE = (0xff, 0xff, 0xff)


def inside_rounded_rect(x, y, left, top, right, bottom, radius):
    if not (left <= x <= right and top <= y <= bottom):
        return False
    cx = min(max(x, left + radius), right - radius)
    cy = min(max(y, top + radius), bottom - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius**2


def coverage(px, py, shape):
    hits = 0
    for sy in range(SAMPLES):
        for sx in range(SAMPLES):
            if shape(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES):
                hits += 1
    return hits / SAMPLES**2


def blend(under, over, alpha):
    return tuple(round(u + (o - u) * alpha) for u, o in zip(under, over))


def background(x, y):
    return inside_rounded_rect(x, y, 16, 16, SIZE - 16, SIZE - 16, 104)


def package(x, y, left):
    """A box with a lid: the lid is the band between y=196 and y=212 left open."""
    body = inside_rounded_rect(x, y, left, 156, left + 150, 356, 20)
    return body and not (196 <= y <= 212)


def original(x, y):
    return package(x, y, 82)


def reflection(x, y):
    return package(x, y, 280)


def mirror_line(x, y):
    return 250 <= x <= 262 and 112 <= y <= 400 and (y - 112) % 36 < 24


def pixel(px, py):
    base = coverage(px, py, background)
    if base == 0:
        return (0, 0, 0, 0)
    color = blend(BACKGROUND_TOP, BACKGROUND_BOTTOM, py / SIZE)
    color = blend(color, WHITE, coverage(px, py, original))
    color = blend(color, WHITE, 0.8 * coverage(px, py, mirror_line))
    color = blend(color, WHITE, 0.45 * coverage(px, py, reflection))
    return (*color, round(255 * base))


def png(width, height, rows):
    def chunk(kind, data):
        body = kind + data
        return struct.pack('>I', len(data)) + body + struct.pack('>I', zlib.crc32(body) & 0xFFFFFFFF)

    raw = b''.join(b'\x00' + bytes(value for rgba in row for value in rgba) for row in rows)
    header = struct.pack('>IIBBBBB', width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header) + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b'')


def main():
    rows = [[pixel(x, y) for x in range(SIZE)] for y in range(SIZE)]
    target = Path(__file__).resolve().parent.parent / 'resources' / 'icon.png'
    target.write_bytes(png(SIZE, SIZE, rows))
    print(f'wrote {target}')


if __name__ == '__main__':
    main()
