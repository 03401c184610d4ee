"""The documentation names only things that exist, and says what the code does.

docs/ARCHITECTURE.md cites files as `path` and names defined in them as `path::Name` (or
`path::Class.method`); each must exist, found by reading the file (pages are Streamlit scripts and are
never imported). The README's paths, its list of commands that take --db, and the metric codes of
docs/METRICS.md are checked against the code.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from gip_data.cli import cli
from gip_data.metrics import METRICS
from tests.paths import ROOT

ARCHITECTURE = ROOT / "docs" / "ARCHITECTURE.md"
README = ROOT / "README.md"
MADE_AT_RUN_TIME = {"data/gip.db", ".streamlit/secrets.toml"}  # the default database, the local secrets
RECIPES = ("add a chart", "add a metric", "add a reader format", "add an arithmetic rule")


def citations(markdown: Path) -> list[str]:
    """Every backticked path (with a ``/`` or a file suffix, optionally ``::name``) of a Markdown file."""
    found = []
    for token in re.findall(r"`([^`\s]+)`", markdown.read_text(encoding="utf-8")):
        if "<" in token or "://" in token or token.startswith(("-", ".venv/")) or token in MADE_AT_RUN_TIME:
            continue  # a placeholder (gip_data/readers/<format>.py), a URL, an option, what set-up makes
        path = token.split("::")[0]
        if "/" in path or re.search(r"\.(py|md|sh|toml|json)$", path):
            found.append(token)
    return found


def defined(path: Path, dotted: str) -> bool:
    """True when ``dotted`` (``name`` or ``Class.member``) is defined at the top of the Python file."""
    scope: list[ast.stmt] = ast.parse(path.read_text(encoding="utf-8")).body
    for part in dotted.split("."):
        for node in scope:
            names: list[str] = []
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names = [node.name]
            elif isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names = [node.target.id]
            if part in names:
                scope = node.body if isinstance(node, ast.ClassDef) else []
                break
        else:
            return False
    return True


def test_architecture_has_the_data_flow_the_change_map_and_four_recipes() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    assert "## The data flow" in text and "## Where each kind of change goes" in text
    for recipe in RECIPES:
        assert f"## Recipe {RECIPES.index(recipe) + 1}: {recipe}" in text


@pytest.mark.parametrize("doc", [ARCHITECTURE, README], ids=lambda p: p.name)
def test_every_cited_file_and_name_exists(doc: Path) -> None:
    cited = citations(doc)
    assert len(cited) >= (60 if doc == ARCHITECTURE else 10)  # the parser found the citations
    missing = []
    for token in cited:
        path, _, name = token.partition("::")
        target = ROOT / path
        if not target.exists() or (name and not defined(target, name)):
            missing.append(token)
    assert missing == [], f"{doc.name} cites names that do not exist (renamed?): {missing}"


def test_the_name_check_would_catch_a_rename() -> None:
    metrics = ROOT / "gip_data" / "metrics" / "definitions.py"
    assert (
        defined(metrics, "METRICS")
        and defined(metrics, "Metric")
        and defined(ROOT / "gip_data/storage/sql.py", "SqlStore.import_bytes")
    )
    assert not defined(metrics, "NO_SUCH_NAME") and not defined(
        ROOT / "gip_data/storage/sql.py", "SqlStore.no_such"
    )


def test_readme_lists_exactly_the_commands_that_take_db() -> None:
    text = README.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if "take `--db URL`" in line)
    with_db, _, without = line.split("take `--db URL`")[1].partition(";")
    said = set(re.findall(r"`([a-z-]+)`", with_db))
    said_not = set(re.findall(r"`([a-z-]+)`", without))
    commands = {
        name: any(p.name == "db_url" for p in command.params) for name, command in cli.commands.items()
    }
    assert said == {n for n, has in commands.items() if has}
    assert said_not | said == set(commands) and not said & said_not


def test_metrics_doc_defines_every_metric_code() -> None:
    text = (ROOT / "docs" / "METRICS.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z]+)` \|", text, flags=re.MULTILINE))
    assert documented == set(METRICS)
    for code, metric in METRICS.items():
        assert f"| `{code}` | {metric.label} |" in text  # the label as the app shows it
