"""Functions stay short (issue 13; STYLE.md: median under 10 lines, rarely over 30).

A function's length is its lines from ``def`` to its last line, its docstring not counted
(docstrings are welcome). Read with ``ast`` from the project's own packages, migrations left
out; tests are not among them.
"""

import ast
import statistics
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["musrenbang", "proposals", "sessions", "scoring", "reports", "benchmarks"]
# Domain modules: a module or package whose name starts with one of these.
DOMAIN = ("services", "selectors", "documents", "views")
MEDIAN_BELOW = 10
LONGEST = 60


def _length(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    lines = node.end_lineno - node.lineno + 1
    first = node.body[0]
    is_docstring = (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
        and len(node.body) > 1
    )
    return lines - (first.end_lineno - first.lineno + 1 if is_docstring else 0)


def _functions(tree: ast.AST, prefix: str = ""):
    """Yield (qualified name, node) for every function and method, nested ones too."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield prefix + node.name, node
            yield from _functions(node, f"{prefix}{node.name}.")
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node, f"{prefix}{node.name}.")
        else:
            yield from _functions(node, prefix)


def _is_domain(path: Path) -> bool:
    return any(part.startswith(DOMAIN) for part in path.with_suffix("").parts[1:])


def _all_functions() -> list[tuple[str, bool, int]]:
    """Return (``path::name``, in a domain module, length) for every function of the project."""
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(relative))
            for name, node in _functions(tree):
                key = f"{relative.as_posix()}::{name}"
                found.append((key, _is_domain(relative), _length(node)))
    return found


def test_the_scan_sees_the_project():
    functions = _all_functions()
    names = {name for name, _, _ in functions}
    assert len(functions) > 500
    assert "scoring/selectors.py::ranking" in names
    assert "musrenbang/rulebook.py::authorize" in names
    assert any(domain for _, domain, _ in functions)


def test_the_median_function_is_short():
    median = statistics.median(length for _, _, length in _all_functions())
    assert median < MEDIAN_BELOW, f"median function length {median} lines"


def test_no_domain_function_is_over_60_lines():
    too_long = {
        name: length for name, domain, length in _all_functions() if domain and length > LONGEST
    }
    assert too_long == {}, "split these"


def test_length_counts_code_not_the_docstring():
    tree = ast.parse('def f():\n    """Doc\n    string."""\n    a = 1\n    return a\n')
    assert _length(tree.body[0]) == 3
    assert _is_domain(Path("scoring/services/compute.py"))
    assert _is_domain(Path("proposals/views_intake.py"))
    assert not _is_domain(Path("reports/backup.py"))
