"""A minimal OLE2 compound-file writer (MS-CFB version 3) for hand-made test inputs.

Enough to make small, reviewable compound files with chosen root streams (an
Excel ``Workbook``, an ``EncryptedPackage``, a Works ``CONTENTS``, a
``WordDocument`` with a chosen header) using the standard library alone.
Every stream is padded with zeros to the 4096-byte mini-stream cutoff (its
declared size included), so all live in regular 512-byte sectors and one FAT
sector (128 sectors, 64 KB) is enough.
"""

from __future__ import annotations

import struct

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SECTOR = 512
CUTOFF = 4096
FREE, END, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _entry(name: str, kind: int, *, child: int = NO_STREAM, right: int = NO_STREAM, start: int = END,
           size: int = 0) -> bytes:
    """One 128-byte directory entry (all black, no left siblings)."""
    encoded = (name + "\0").encode("utf-16-le")
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB3I", len(encoded), kind, 1, NO_STREAM, right, child)
        + b"\0" * 16  # CLSID
        + b"\0" * 4  # state bits
        + b"\0" * 16  # creation and modification times
        + struct.pack("<IQ", start, size)
    )


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A compound file whose root storage holds ``streams`` (name → content)."""
    names = sorted(streams, key=lambda n: (len(n), n.upper()))  # the CFB sibling order
    bodies = [streams[n].ljust(CUTOFF, b"\0") for n in names]
    directory_sectors = (len(names) + 1 + 3) // 4
    fat = [FAT_SECTOR] + [END] * directory_sectors
    for i in range(1, directory_sectors):
        fat[i] = i + 1
    starts = []
    for body in bodies:
        count = -(-len(body) // SECTOR)
        first = len(fat)
        starts.append(first)
        fat.extend([*range(first + 1, first + count), END])
    if len(fat) > SECTOR // 4:
        raise ValueError("streams too large for one FAT sector")
    entries = _entry("Root Entry", 5, child=1 if names else NO_STREAM)
    for i, name in enumerate(names, start=1):
        right = i + 1 if i < len(names) else NO_STREAM
        entries += _entry(name, 2, right=right, start=starts[i - 1], size=len(bodies[i - 1]))
    entries = entries.ljust(directory_sectors * SECTOR, b"\0")
    header = (
        MAGIC
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, CUTOFF, END, 0, END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<108I", *[FREE] * 108)
    )
    assert len(header) == SECTOR
    fat_sector = struct.pack(f"<{SECTOR // 4}I", *(fat + [FREE] * (SECTOR // 4 - len(fat))))
    return header + fat_sector + entries + b"".join(b.ljust(-(-len(b) // SECTOR) * SECTOR, b"\0") for b in bodies)


def word_header(*, ident: int = 0xA5EC, encrypted: bool = False) -> bytes:
    """The first bytes of a WordDocument stream's file information block."""
    flags = 0x0100 if encrypted else 0
    return struct.pack("<HHHHHH", ident, 0xC1, 0, 0, 0, flags)
