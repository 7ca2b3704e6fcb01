"""The sizes issue 19 set, kept: no module over 600 lines outside migrations and tests (bench and
loadtest included), no function over 60 lines outside tests and the tools (bench, loadtest). A
module or function that grows past them is a room to split before the next feature moves in."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODULE_LINES = 600
FUNCTION_LINES = 60
NOT_CODE = {".venv", "var", "docs", "static", "locale", "templates", "node_modules", "migrations", "tests", "e2e"}
TOOLS = {"bench", "loadtest"}


def python_modules():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if not set(parts) & NOT_CODE and path.name != "conftest.py":
            yield path, parts


def test_no_module_is_over_600_lines():
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path, _parts in python_modules()
        if (lines := len(path.read_text().splitlines())) > MODULE_LINES
    }
    assert too_long == {}


def test_no_function_of_the_product_is_over_60_lines():
    too_long = {}
    for path, parts in python_modules():
        if parts[0] in TOOLS:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > FUNCTION_LINES:
                    too_long[f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"] = lines
    assert too_long == {}
