"""Every file of the bad-input corpus gets its typed error and leaves the database unchanged.

The corpus and its manifest are made by tests/data/bad/make_bad_inputs.py. "In time" is the sandbox's
own business: a file that took longer than its limit would come back as ``parse-limit``, which the
manifest allows only for the file whose point is to exhaust a limit. How long each refusal takes is a
figure printed by bench/limits.py, not a test assertion (those fail on a loaded machine).
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from gip_data.errors import FileTooLargeError, GipDataError
from gip_data.readers import registry
from gip_data.readers.registry import ReadLimits, read_document
from gip_data.sandbox import parse_in_worker
from gip_data.schema.record import AnnualReport
from gip_data.storage import open_store
from gip_data.ui import upload
from tests.conftest import DATA, SEEDS

BAD = DATA / "bad"
MANIFEST: dict[str, dict] = json.loads((BAD / "manifest.json").read_text(encoding="utf-8"))
TIME_LIMIT_S = 20.0
OCR_LIMIT_S = 60.0  # a file that needs OCR is parsed again with the OCR budget (gip_data.sandbox)
# Inflating this page's 1 GB content stream takes pdfium seconds and gigabytes in-process;
# only the sandboxed path (the upload page) is exercised with it.
SANDBOX_ONLY = {"pdf_content_bomb.pdf"}


def test_corpus_is_complete() -> None:
    assert len(MANIFEST) >= 30
    on_disk = {p.name for p in BAD.iterdir() if p.name not in {"manifest.json", "make_bad_inputs.py"}}
    assert on_disk == set(MANIFEST)
    assert all((BAD / name).stat().st_size == entry["bytes"] for name, entry in MANIFEST.items())


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A SQLite store holding one good report, so 'unchanged' is checked on a non-empty database."""
    path = tmp_path_factory.mktemp("bad") / "gip.db"
    opened = open_store(f"sqlite:///{path}")
    seed = sorted(SEEDS.glob("*.txt"))[0]
    record = AnnualReport.model_validate(json.loads(seed.with_name(seed.stem + ".expected.json").read_text()))
    assert (
        opened.import_bytes(seed.read_bytes(), seed.name, uploaded_by="test", report=record).status
        == "imported"
    )
    opened.sqlite_path = path  # type: ignore[attr-defined]
    return opened


def snapshot(store) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Row counts of every table plus the data version."""
    with sqlite3.connect(store.sqlite_path) as conn:
        tables = [row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")]
        counts = {t: conn.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}
    return {**counts, "data_version": store.data_version()}


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_bad_file_gets_its_typed_error_in_the_sandbox(name: str) -> None:
    data = (BAD / name).read_bytes()
    with pytest.raises(GipDataError) as info:
        parse_in_worker(data, name, timeout_s=TIME_LIMIT_S, ocr_budget=(OCR_LIMIT_S, int(OCR_LIMIT_S), 2048))
    assert info.value.code in MANIFEST[name]["codes"], info.value.message  # parse-limit only where expected
    assert info.value.message_zh and info.value.message_en


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_bad_file_leaves_the_database_unchanged(name: str, store) -> None:  # type: ignore[no-untyped-def]
    data = (BAD / name).read_bytes()
    before = snapshot(store)
    with pytest.raises(GipDataError):
        upload.parse_upload(data, name)  # the upload page: nothing to save after a failed parse
    if name not in SANDBOX_ONLY:  # `gip import` and the API parse in-process
        outcome = store.import_bytes(data, name, uploaded_by="test")
        assert outcome.status == "failed" and outcome.report_id is None
        assert outcome.error_code in MANIFEST[name]["codes"], outcome.message
    assert snapshot(store) == before


@pytest.mark.parametrize("name", sorted(n for n, e in MANIFEST.items() if e["forbidden"]))
def test_no_external_entity_or_expansion_reaches_the_text(name: str) -> None:
    """What a reader returns (or says) never holds a local file's content or an entity expansion."""
    try:
        text = read_document((BAD / name).read_bytes(), name).text()
    except GipDataError as exc:
        text = exc.message
    for forbidden in MANIFEST[name]["forbidden"]:
        assert forbidden not in text


def test_size_limit_is_checked_before_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    limits = ReadLimits(max_bytes=1024 * 1024)
    too_big = b"0 " * (600 * 1024)
    with pytest.raises(FileTooLargeError):  # through the sandbox, as the upload page does
        parse_in_worker(too_big, "big.txt", limits=limits)

    def never(*_: object) -> None:
        raise AssertionError("a reader was started on a file over the size limit")

    monkeypatch.setattr(registry.Reader, "load_readings", never)  # in-process: no reader is even loaded
    with pytest.raises(FileTooLargeError, match="MB > 1 MB"):
        read_document(too_big, "big.txt", limits)
