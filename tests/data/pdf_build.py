"""Hand-built PDF pieces shared by the fixture generators (tests/data/bad, tests/data/readers).

A classic-xref file writer and the PDF "standard security handler", revision 2
(RC4, 40-bit key): enough to make small, reviewable, genuinely encrypted files
with the standard library alone.
"""

from __future__ import annotations

import hashlib
import io

# The 32-byte padding string of the standard security handler (PDF 1.7, 7.6.3.3).
PASSWORD_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def classic_pdf(objects: list[bytes], *, trailer: bytes = b"", version: bytes = b"1.7") -> bytes:
    """A classic-xref PDF from numbered object bodies (object i+1 = objects[i]); object 1 is the catalog.

    ``trailer`` is written as is before the trailer dictionary's closing ``>>``.
    """
    out = io.BytesIO()
    out.write(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    )
    return out.getvalue()


def rc4(key: bytes, data: bytes) -> bytes:
    """RC4, as the standard security handler uses it."""
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def security_r2(
    user_password: bytes, owner_password: bytes, permissions: int, file_id: bytes
) -> tuple[bytes, bytes, bytes]:
    """The file key, /O value and /U value of the standard handler, revision 2 (40-bit RC4)."""
    padded_user = (user_password + PASSWORD_PAD)[:32]
    owner = rc4(hashlib.md5((owner_password + PASSWORD_PAD)[:32]).digest()[:5], padded_user)
    key = hashlib.md5(padded_user + owner + permissions.to_bytes(4, "little", signed=True) + file_id).digest()[:5]
    return key, owner, rc4(key, PASSWORD_PAD)
