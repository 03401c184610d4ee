"""Write the fixtures of the traceability tests (report page, upload preview, manual entry).

``marks.txt`` prints a consistent 2019 report (the layout fixtures' table,
tests/data/layouts/make_layouts.py) with three features a reader must see
marked: table 3's （一）予以公开·总计 left as "—" (lost; the row's cells fix it:
a repaired cell), table 4's 未经复议直接起诉 block all "—" (no rule fixes a
blank block: assumed zeros), and 行政复议's 总计 printed as 15 where its parts
add up to 16 (a failing rule). ``marks.expected.json`` says so by hand; nothing
here calls the parser. Run: ``.venv/bin/python tests/data/trace/make_trace.py``.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("make_layouts", HERE.parent / "layouts" / "make_layouts.py")
assert _spec is not None and _spec.loader is not None
layouts = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(layouts)


def marks() -> None:
    rows = []
    for key, label in layouts.labels(False):
        group = layouts.GROUP.get(key)
        values = [str(v) for v in layouts.A19[key]]
        if key == "granted":
            values[6] = "—"
        rows.append(" | ".join(([group] if group else []) + [label] + values))
    text = layouts.PROSE_19 + layouts.HEAD3 + layouts.HEADER_PIPES + "\n".join(rows) + "\n"
    text += layouts.HEAD4 + layouts.CASE_HEADER_PIPES
    text += "12 | 3 | 0 | 1 | 15 | — | — | — | — | — | 2 | 0 | 0 | 0 | 2\n" + layouts.TAIL
    (HERE / "marks.txt").write_text(text, encoding="utf-8")
    truth = {
        "repairs": [["granted", "total", layouts.A19["granted"][6]]],
        "assumed_zero": [["litigation_direct", o] for o in ("upheld", "corrected", "other", "pending", "total")],
        "failed_checks": [["review-total", "review", "total"]],
    }
    (HERE / "marks.expected.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    marks()
