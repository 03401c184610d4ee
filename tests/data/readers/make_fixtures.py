"""Regenerate the reader edge-case fixtures in this folder.

Run ``.venv/bin/python tests/data/readers/make_fixtures.py``. Every file is
built from the literals below with the standard library, python-docx and
Pillow, so the inputs can be reviewed here rather than as opaque binaries.
"""

from __future__ import annotations

import hashlib
import io
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))  # the project root, when run as a script

from tests.data.pdf_build import classic_pdf, security_r2  # noqa: E402

# A slice of the 2021 template's table 3, as a pipe dump prints it.
TABLE3_SNIPPET = (
    "三、收到和处理政府信息公开申请情况\n"
    "一、本年新收政府信息公开申请数量 | 12 | 3 | 0 | 0 | 0 | 1 | 16 |\n"
    "二、上年结转政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n"
    "(一)予以公开 | 5 | 2 | 0 | 0 | 0 | 0 | 7 |\n"
    "（七）总计 | 13 | 3 | 0 | 0 | 0 | 1 | 17 |\n"
)

SPANS_HTML = """<html><head><title>跨行跨列</title><script>var x = "<td>不是单元格</td>";</script>
<style>td {color: red}</style></head><body><nav>首页 | 政务公开</nav>
<div>正文直接写在 div 里</div>
<table>
<tr><td rowspan="2" colspan="2">申请人情况</td><td colspan="2">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业企业</td><td>&nbsp;</td></tr>
<tr><td>三、本年度办理结果</td><td>（一）予以公开</td><td>1</td><td>2<br/></td><td>3</td></tr>
<tr><td colspan="2" rowspan="x">（七）总计</td><td>1</td><td>2</td><td>3</td></tr>
</table>
<p>表后&nbsp;&nbsp;说明</p></body></html>
"""

NESTED_HTML = """<!DOCTYPE html><html><body>
<table class="layout"><tr><td>
  <h1>某县人民政府2021年政府信息公开工作年度报告</h1>
  <table><tr><td>行政许可</td><td>39732</td></tr></table>
  <p>页框内的段落</p>
</td></tr></table></body></html>
"""

GBK_AS_UTF8_HTML = (
    '<html><head><meta charset="utf-8"><title>政府信息公开工作年度报告</title></head><body>'
    "<table><tr><td>一、本年新收政府信息公开申请数量</td><td>16</td></tr></table></body></html>"
)

LAYOUT_TXT = (
    "           行政复议                        行政诉讼\n"
    "  结果维持    结果纠正   其他结果   尚未审结   总计\n"
    "     2          0          0          0         2\n"
    "一、本年新收政府信息公开申请数量    9    0    0    0    0    0    9\n"
)


def write(name: str, data: bytes) -> None:
    """Write one fixture and say so."""
    (HERE / name).write_bytes(data)
    print(f"{name}: {len(data)} bytes")


def text_fixtures() -> None:
    """The same table text in every encoding a report site uses."""
    write("utf8_bom.txt", b"\xef\xbb\xbf" + TABLE3_SNIPPET.encode("utf-8"))
    write("gbk.txt", TABLE3_SNIPPET.encode("gbk"))
    write("gb2312.txt", TABLE3_SNIPPET.replace("(", "（").replace(")", "）").encode("gb2312"))
    write("utf16le_bom.txt", TABLE3_SNIPPET.encode("utf-16"))  # Python writes LE with BOM
    write("utf16be_nobom.txt", TABLE3_SNIPPET.encode("utf-16-be"))
    write("layout.txt", LAYOUT_TXT.encode("utf-8"))
    write("empty.txt", b"")
    write("whitespace_only.txt", b" \r\n\t\n   \n")
    write("nul_garbage.txt", hashlib.sha256(b"seed").digest() * 64 + b"\x00" * 512)


def html_fixtures() -> None:
    """Span resolution, a layout frame and a GBK page that claims UTF-8."""
    write("spans.html", SPANS_HTML.encode("utf-8"))
    write("nested_layout.html", NESTED_HTML.encode("utf-8"))
    write("gbk_declared_utf8.html", GBK_AS_UTF8_HTML.encode("gbk"))


def merged_docx() -> bytes:
    """A Word table with a horizontal and a vertical merge."""
    import docx

    document = docx.Document()
    document.add_paragraph("某办事处2020年政府信息公开工作年度报告", style="Title")
    table = document.add_table(rows=3, cols=4)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "行政复议"
    table.cell(0, 1).merge(table.cell(0, 3)).text = "行政诉讼"
    for col, label in enumerate(["维持", "纠正", "总计"], start=1):
        table.cell(1, col).text = label
    for col, value in enumerate(["2", "0", "0", "2"]):
        table.cell(2, col).text = value
    document.add_paragraph("表后段落\t第二列")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def macro_docm(docx_bytes: bytes) -> bytes:
    """The merged-cell document relabelled as macro-enabled (.docm)."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"document.macroEnabled.main+xml")
            target.writestr(item, data)
        target.writestr("word/vbaProject.bin", b"\x00" * 64)
    return out.getvalue()


def bomb_docx(uncompressed_mb: int) -> bytes:
    """A 'docx' whose document.xml inflates to ``uncompressed_mb`` MB of spaces."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", b'<?xml version="1.0"?><Types/>')
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1024 * 1024)
            for _ in range(uncompressed_mb):
                member.write(chunk)
    return out.getvalue()


def docx_fixtures() -> None:
    """Merged cells, a macro-enabled copy and a zip bomb."""
    merged = merged_docx()
    write("merged_cells.docx", merged)
    write("macro_enabled.docm", macro_docm(merged))
    write("zip_bomb.docx", bomb_docx(120))


def scanned_pdf() -> bytes:
    """A one-page PDF that is only an image of text (what a scanner produces)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (620, 200), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 600, 180), outline="black", width=3)
    draw.text((40, 80), "SCANNED PAGE 2021 - NO TEXT LAYER", fill="black")
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=72.0)
    return out.getvalue()


def encrypted_pdf(user_password: bytes = b"secret", owner_password: bytes = b"owner") -> bytes:
    """A one-page PDF protected by a user password (standard handler, R2, RC4-40)."""
    file_id = hashlib.md5(b"gip-data encrypted fixture").digest()
    permissions = -4  # all permissions; the password is what matters
    _key, o_value, u_value = security_r2(user_password, owner_password, permissions, file_id)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <"
        + o_value.hex().encode()
        + b"> /U <"
        + u_value.hex().encode()
        + b"> /P "
        + str(permissions).encode()
        + b" >>",
    ]
    return _assemble_pdf(objects, b"/Encrypt 4 0 R /ID [<%s> <%s>]" % ((file_id.hex().encode(),) * 2))


def _assemble_pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """Number ``objects`` from 1, write the xref table and trailer (PDF 1.4)."""
    # A space before ">>" as these files were first written, so regenerating reproduces them byte for byte.
    return classic_pdf(objects, trailer=trailer_extra + b" ", version=b"1.4")


def ruled_grid_pdf() -> bytes:
    """Two cells 6.5 pt apart (less than one em) split only by a grid drawn as ONE path."""
    content = (
        b"0.5 w 100 700 m 100 760 l 160 700 m 160 760 l 220 700 m 220 760 l "
        b"100 700 m 220 700 l 100 760 m 220 760 l S\n"
        b"BT /F1 10 Tf 100 780 Td (NO) Tj ET BT /F1 10 Tf 120 780 Td (RULE) Tj ET\n"
        b"BT /F1 10 Tf 132 720 Td (LEFT) Tj ET BT /F1 10 Tf 163 720 Td (RIGHT) Tj ET\n"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return _assemble_pdf(objects)


def pdf_fixtures() -> None:
    """A scan, an encrypted file, a truncated one and a one-path grid."""
    write("ruled_grid_one_path.pdf", ruled_grid_pdf())
    write("scanned_no_text.pdf", scanned_pdf())
    write("encrypted_user_password.pdf", encrypted_pdf())
    write("truncated.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")


if __name__ == "__main__":
    text_fixtures()
    html_fixtures()
    docx_fixtures()
    pdf_fixtures()
