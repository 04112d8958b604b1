"""The figures of one bench run: recorded by every scenario, written to one JSON file.

Its own module so that ``bench.py`` (run as ``__main__``) and ``scenarios.py`` (which imports
``benchmarks.bench``, a second copy of that file) append to the same list.
"""

import json
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class Row:
    name: str
    value: float
    unit: str
    target: float | None = None
    note: str = ""
    failed: bool = False  # not measured although asked for (a tool missing, a step that broke)
    skipped: bool = False  # not measured because the run was asked to leave it out
    at_least: bool = False  # the target is a floor (a throughput ratio), not a ceiling

    @property
    def ok(self) -> bool | None:
        if self.failed:
            return False
        if self.target is None or self.skipped:
            return None
        return self.value >= self.target if self.at_least else self.value <= self.target


RESULTS: list[Row] = []


def record(
    name: str,
    value: float,
    unit: str,
    target: float | None = None,
    note: str = "",
    *,
    at_least: bool = False,
):
    row = Row(name, round(value, 3), unit, target, note, at_least=at_least)
    RESULTS.append(row)
    mark = "" if row.ok is None else ("OK" if row.ok else "MELESET")
    target_text = "" if target is None else f"{'>=' if at_least else '<='} {target:g}"
    print(f"  {name:<52} {row.value:>10g} {unit:<6} {target_text:<10} {mark}", flush=True)
    return row


def record_failure(name: str, note: str) -> Row:
    """Record a measurement that was asked for but could not be made: it never reads as a pass."""
    row = Row(name, 0, "-", note=note, failed=True)
    RESULTS.append(row)
    print(f"  {name:<52} {'GAGAL':>10}  {note.strip()[:200]}", flush=True)
    return row


def record_skipped(name: str, note: str) -> Row:
    row = Row(name, 0, "-", note=note, skipped=True)
    RESULTS.append(row)
    print(f"  {name:<52} {'DILEWATI':>10}  {note}", flush=True)
    return row


def write_results(out: Path) -> int:
    """Write every recorded figure to ``out``, print the misses; return the exit status."""
    payload = [{**asdict(r), "ok": r.ok} for r in RESULTS]
    out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    missed = [r for r in RESULTS if r.ok is False and not r.failed]
    failed = [r for r in RESULTS if r.failed]
    skipped = [r for r in RESULTS if r.skipped]
    print(
        f"\nHasil ditulis ke {out}: {len(RESULTS)} angka; {len(missed)} target meleset, "
        f"{len(failed)} pengukuran gagal, {len(skipped)} dilewati."
    )
    for row in missed:
        print(f"  MELESET: {row.name} = {row.value} {row.unit} (target {row.target})")
    for row in failed:
        print(f"  GAGAL: {row.name}: {row.note.strip()[:500]}")
    for row in skipped:
        print(f"  DILEWATI: {row.name}: {row.note}")
    return 1 if failed else 0
