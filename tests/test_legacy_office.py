"""Old Word (.doc) and WPS (.wps) files: sniffed as OLE2, converted by LibreOffice, read as DOCX.

The .doc inputs are made here from the seed DOCX fixtures by LibreOffice itself
(installed by scripts/system-deps.sh, which ./dev test runs), so each must parse
to the same record as the DOCX it came from. WPS Office writes the same binary
format as Word, so a .doc saved under a .wps name stands for a WPS file; the
other OLE2 kinds are hand-made (tests/data/ole_build.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from gip_data.errors import (
    ConverterMissingError,
    CorruptFileError,
    EncryptedFileError,
    GipDataError,
    ParseTimeoutError,
    UnsupportedFormatError,
)
from gip_data.parse import parse_bytes
from gip_data.readers import legacy_office
from gip_data.readers.registry import READERS, read_document, supported_suffixes
from gip_data.readers.sniff import sniff_format
from gip_data.sandbox import parse_in_worker
from tests.conftest import FIXTURES
from tests.data.ole_build import compound_file, word_header

pytestmark = pytest.mark.xdist_group("libreoffice")

SEEDS = sorted(FIXTURES.glob("seed_*.docx"))


def _soffice() -> str:
    found = shutil.which("soffice")
    assert found, "LibreOffice is missing: run scripts/system-deps.sh (./dev test does)"
    return found


def _docx_to_doc(docx: Path, out: Path) -> Path:
    """LibreOffice saves the DOCX as a Word 97–2003 .doc (its own profile, like the reader)."""
    profile = out / "lo-profile"
    subprocess.run(
        [_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "doc:MS Word 97", "--outdir", str(out), str(docx)],
        check=True, capture_output=True, timeout=120,
    )
    shutil.rmtree(profile)
    return out / (docx.stem + ".doc")


@pytest.fixture(scope="module")
def doc_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every seed DOCX fixture saved as .doc, by stem."""
    out = tmp_path_factory.mktemp("doc")
    return {docx.stem: _docx_to_doc(docx, out) for docx in SEEDS}


def _same_record(a, b) -> None:
    # The conversion writes a new file: its own creation and modification dates are the only facts that differ.
    ignore = {"source": True, "facts": {"dates"}}
    assert a.model_dump(exclude=ignore) == b.model_dump(exclude=ignore)


@pytest.mark.parametrize("docx", SEEDS, ids=lambda p: p.stem)
def test_doc_parses_to_the_same_record_as_its_docx(docx: Path, doc_files: dict[str, Path]) -> None:
    doc = doc_files[docx.stem]
    assert doc.read_bytes().startswith(b"\xd0\xcf\x11\xe0")
    record = parse_bytes(doc.read_bytes(), doc.name)
    _same_record(record, parse_bytes(docx.read_bytes(), docx.name))
    assert record.source is not None and record.source.format == "doc"


def test_wps_named_file_is_read_as_wps(doc_files: dict[str, Path]) -> None:
    data = doc_files["seed_000"].read_bytes()
    record = parse_bytes(data, "报告.wps")
    _same_record(record, parse_bytes((FIXTURES / "seed_000.docx").read_bytes(), "seed_000.docx"))
    assert record.source is not None and record.source.format == "wps"


def test_content_decides_not_the_suffix(doc_files: dict[str, Path]) -> None:
    data = doc_files["seed_001"].read_bytes()
    assert read_document(data, "报告.pdf").format == "doc"
    assert read_document(data, "报告").format == "doc"


def test_doc_in_the_sandbox_worker(doc_files: dict[str, Path]) -> None:
    """The converter runs under the worker's memory and CPU limits."""
    data = doc_files["seed_002"].read_bytes()
    record = parse_in_worker(data, "seed_002.doc", timeout_s=60)
    _same_record(record, parse_bytes((FIXTURES / "seed_002.docx").read_bytes(), "seed_002.docx"))


def test_missing_converter_gives_a_typed_error_saying_how_to_get_it(
    doc_files: dict[str, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(legacy_office.SOFFICE_ENV, str(tmp_path / "no-such-soffice"))
    with pytest.raises(ConverterMissingError) as caught:
        read_document(doc_files["seed_000"].read_bytes(), "old.doc")
    assert caught.value.source == "old.doc"
    assert "LibreOffice" in caught.value.message_zh and "libreoffice-writer-nogui" in caught.value.message_en


def test_corrupt_doc_gives_a_typed_error(doc_files: dict[str, Path]) -> None:
    data = doc_files["seed_000"].read_bytes()
    with pytest.raises(CorruptFileError):  # the compound file cut short
        read_document(data[:1536], "cut.doc")
    with pytest.raises(CorruptFileError):  # a Word header and nothing LibreOffice can load
        read_document(compound_file({"WordDocument": word_header() + b"\x07" * 600}), "hollow.doc")


@pytest.fixture()
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp folder of this test's own, used by the converter for everything it writes."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(folder))
    return folder


def test_conversion_leaves_no_temp_files(doc_files: dict[str, Path], private_tmp: Path) -> None:
    read_document(doc_files["seed_003"].read_bytes(), "a.doc")
    with pytest.raises(GipDataError):
        read_document(compound_file({"WordDocument": word_header()}), "b.doc")
    assert list(private_tmp.iterdir()) == []


def test_conversion_timeout_kills_the_converter_and_cleans_up(
    doc_files: dict[str, Path], private_tmp: Path
) -> None:
    with pytest.raises(ParseTimeoutError):
        legacy_office.convert_to_docx(doc_files["seed_004"].read_bytes(), "slow.doc", "doc", timeout_s=0.05)
    assert list(private_tmp.iterdir()) == []
    leftover = subprocess.run(["pgrep", "-f", str(private_tmp)], capture_output=True, text=True)
    assert leftover.stdout == ""


@pytest.mark.parametrize(
    ("streams", "name", "outcome"),
    [
        pytest.param({"WordDocument": word_header(), "1Table": b""}, "x.doc", "doc", id="word"),
        pytest.param({"WordDocument": word_header()}, "x.wps", "wps", id="wps-office"),
        pytest.param({"WordDocument": word_header()}, "x.txt", "doc", id="word-misnamed"),
        pytest.param({"CONTENTS": b"", "SPELLING": b""}, "x.wps", "wps", id="works"),
        pytest.param({"Workbook": b""}, "x.doc", UnsupportedFormatError, id="excel"),
        pytest.param({"PowerPoint Document": b""}, "x.doc", UnsupportedFormatError, id="powerpoint"),
        pytest.param({"Other": b""}, "x.doc", UnsupportedFormatError, id="other-ole"),
        pytest.param({"EncryptionInfo": b"", "EncryptedPackage": b""}, "x.docx", EncryptedFileError, id="enc"),
        pytest.param({"WordDocument": word_header(encrypted=True)}, "x.doc", EncryptedFileError, id="enc-doc"),
        pytest.param({"WordDocument": word_header(ident=0x1234)}, "x.doc", CorruptFileError, id="bad-fib"),
    ],
)
def test_ole_files_are_sniffed_by_their_streams(streams: dict, name: str, outcome) -> None:
    data = compound_file(streams)
    if isinstance(outcome, str):
        assert sniff_format(data, name) == outcome
    else:
        with pytest.raises(outcome) as caught:
            sniff_format(data, name)
        assert caught.value.source == name


def test_registry_is_the_one_list_of_suffixes() -> None:
    assert {".doc", ".wps"} <= set(supported_suffixes())
    assert READERS["doc"].module == READERS["wps"].module == legacy_office.__name__


def test_converter_lookup_prefers_the_named_binary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(legacy_office.SOFFICE_ENV, _soffice())
    assert legacy_office.find_converter() == _soffice()
    monkeypatch.delenv(legacy_office.SOFFICE_ENV)
    assert os.path.basename(legacy_office.find_converter()) in ("soffice", "libreoffice")


def test_docx_sliver_grid_column_is_dropped() -> None:
    """A 1-twip grid column (LibreOffice's .doc → .docx leaves them) holds no cell of its own."""
    from lxml import etree

    from gip_data.readers.docx import W, table_to_grid

    def cell(text: str, span: int = 1) -> str:
        grid_span = f'<w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>' if span > 1 else ""
        return f"<w:tc>{grid_span}<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"

    xml = (
        f'<w:tbl xmlns:w="{W}"><w:tblGrid><w:gridCol w:w="576"/><w:gridCol w:w="575"/><w:gridCol w:w="1"/>'
        '<w:gridCol w:w="576"/></w:tblGrid>'
        f"<w:tr>{cell('复议', 2)}{cell('诉讼', 2)}</w:tr>"
        f"<w:tr>{cell('维持')}{cell('总计', 2)}{cell('维持')}</w:tr>"
        f"<w:tr>{cell('1')}{cell('1', 2)}{cell('0')}</w:tr></w:tbl>"
    )
    grid = [row for _, row in table_to_grid(etree.fromstring(xml))]
    assert grid == [["复议", "", "诉讼"], ["维持", "总计", "维持"], ["1", "1", "0"]]
