"""Build gip_data/gazetteer/divisions.json.gz from the installed ``jionlp`` package.

Why a generated file: importing ``jionlp`` takes ~0.7 s, prints an advert to
stdout (which would corrupt ``gip parse --json``) and drags in a tokenizer we do
not need. We only need its administrative-division dictionary
(``dictionary/china_location.txt``: province > city > county > township > village,
with 2020s codes and short aliases such as 郑州 / 高新区) and its list of renamed
divisions (``china_location_change.txt``). This script reads those two files
directly, without importing jionlp, and writes a compact, deterministic
gzip-compressed JSON that ``gip_data.extract.gazetteer`` loads lazily.

Villages are dropped (too many, too ambiguous to help); Taiwan, Hong Kong and
Macau are dropped (they publish no such reports).

Run from the project root: ``.venv/bin/python scripts/build_gazetteer.py [OUT]``.
"""

from __future__ import annotations

import gzip
import importlib.metadata
import importlib.util
import json
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "gip_data" / "gazetteer" / "divisions.json.gz"
EXCLUDED_PROVINCE_CODES = ("71", "81", "82")
PSEUDO_NODES = ("市直辖行政区划", "省直辖行政区划")


def jionlp_dictionary_text(name: str) -> str:
    """The text of one jionlp dictionary file, unzipping it when only the zip exists."""
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("jionlp is not installed: pip install jionlp")
    folder = Path(next(iter(spec.submodule_search_locations))) / "dictionary"
    plain = folder / f"{name}.txt"
    if plain.exists():
        return plain.read_text(encoding="utf-8")
    with zipfile.ZipFile(folder / f"{name}.zip") as archive:
        return archive.read(f"{name}.txt").decode("utf-8")


def location_text_to_tree(text: str) -> tuple[list[list], dict[str, list[int]]]:
    """Divisions as [name, aliases, rank, parent] rows plus township name → county rows.

    Rank is the indentation depth + 1 (1 province, 2 city, 3 county, 4 township).
    Pseudo nodes (市直辖/省直辖行政区划) keep an empty name so that they hold their
    children without ever matching text.
    """
    nodes: list[list] = []
    towns: dict[str, list[int]] = {}
    stack: list[int | None] = [None, None, None, None]  # last node index per rank
    skipping = False
    for raw in text.splitlines():
        depth = len(raw) - len(raw.lstrip("\t"))
        fields = raw.strip().split("\t")
        if not fields[0]:
            continue
        if depth == 0:
            skipping = len(fields) < 3 or fields[1][:2] in EXCLUDED_PROVINCE_CODES
        if skipping or depth == 4:
            continue
        if depth == 3:
            county = stack[2]
            if county is not None and county not in towns.setdefault(fields[0], []):
                towns[fields[0]].append(county)
            continue
        if len(fields) < 3:  # entries without a code are not current divisions
            stack[depth] = None
            continue
        parent = stack[depth - 1] if depth else None
        name = "" if fields[0] in PSEUDO_NODES else fields[0]
        aliases = [a for a in fields[2].split("/") if a and a != name and name]
        nodes.append([name, aliases, depth + 1, parent])
        stack[depth] = len(nodes) - 1
        stack[depth + 1 :] = [None] * (3 - depth)
    return nodes, towns


def change_text_to_renamed(text: str, nodes: list[list]) -> dict[str, int]:
    """Former division names (renamed or merged since 2002) → the current node index."""
    by_path: dict[tuple[str, ...], int] = {}
    for index, (name, _aliases, _rank, parent) in enumerate(nodes):
        path = [name]
        while parent is not None:
            path.insert(0, nodes[parent][0])
            parent = nodes[parent][3]
        by_path[tuple(p for p in path if p)] = index
    current = {node[0] for node in nodes}
    renamed: dict[str, int] = {}
    for line in text.splitlines():
        if "=>" not in line:
            continue
        old, new = line.split("=>")
        old_name = old.split("\t")[-2]  # the last full name before the alias
        target = by_path.get(tuple(new.strip().split("\t")))
        if target is not None and old_name not in current and len(old_name) >= 3:
            renamed[old_name] = target
    return renamed


def main(out: Path = OUT) -> None:
    """Write the gazetteer data file (``out``, default the package's) and print what it holds."""
    nodes, towns = location_text_to_tree(jionlp_dictionary_text("china_location"))
    renamed = change_text_to_renamed(jionlp_dictionary_text("china_location_change"), nodes)
    payload = {
        "source": f"jionlp {importlib.metadata.version('jionlp')} china_location.txt",
        "nodes": nodes,
        "towns": dict(sorted(towns.items())),
        "renamed": dict(sorted(renamed.items())),
    }
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as packed:
        packed.write(data)
    print(
        f"{out}: {len(nodes)} divisions, {len(towns)} township names, {len(renamed)} former names, "
        f"{out.stat().st_size / 1024:.0f} KiB"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
