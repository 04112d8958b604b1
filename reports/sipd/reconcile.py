"""Compare a SIPD export with the forum's result, row by row by SIPD key.

The file is read by the same reader as the import (``proposals.excel.importing``, with the
SIPD layout); only the key and ``Rekomendasi Kecamatan`` are needed. Its decision, koefisien
and anggaran are parsed from the text and compared with the rekomendasi of the worklist.
Proposals without a SIPD key (to be created in SIPD) cannot be matched and are only counted.
"""

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal

from musrenbang.excel import RowError, header_key
from proposals.excel.importing import _text, read_workbook
from proposals.excel.sipd import (
    SIPD_LAYOUT,
    decision_kind,
    key_sort,
    parse_recommendation,
    row_key,
)
from reports.sipd.worklist import WorkRow, volume_text


def _reconcile_missing(found: set) -> list[str]:
    missing = []
    if "ID Usulan" not in found and "No" not in found:
        missing.append("ID Usulan atau No")
    if "Rekomendasi Kecamatan" not in found:
        missing.append("Rekomendasi Kecamatan")
    return missing


RECONCILE_LAYOUT = dataclasses.replace(
    SIPD_LAYOUT,
    missing=_reconcile_missing,
    hint="minimal kolom Usulan, Rekomendasi Kecamatan, dan ID Usulan atau No",
)
GROUPS = {
    "selisih": "Selisih",
    "tidak_di_sipd": "Ada di Musrenbang tetapi tidak di SIPD",
    "tidak_di_musrenbang": "Ada di SIPD tetapi tidak di Musrenbang",
}
FIELDS = {"keputusan": "keputusan", "koefisien": "koefisien", "anggaran": "anggaran"}


@dataclass
class Report:
    matched: list[str] = field(default_factory=list)
    lines: list[dict] = field(default_factory=list)  # group, key, field, musrenbang, sipd
    not_keyed: int = 0
    errors: list[RowError] = field(default_factory=list)

    def count(self, group: str) -> int:
        return len({line["key"] for line in self.lines if line["group"] == group})

    @property
    def counts(self) -> dict[str, int]:
        return {
            "matched": len(self.matched),
            "different": self.count("selisih"),
            "missing_in_sipd": self.count("tidak_di_sipd"),
            "missing_in_musrenbang": self.count("tidak_di_musrenbang"),
        }

    @property
    def all_match(self) -> bool:
        return not self.errors and not self.lines

    @property
    def summary(self) -> str:
        c = self.counts
        return (
            f"cocok {c['matched']}, selisih {c['different']}, tidak ada di SIPD "
            f"{c['missing_in_sipd']}, tidak ada di Musrenbang {c['missing_in_musrenbang']}"
        )


def line_text(line: dict) -> str:
    """One line of the report, as the command prints it."""
    if line["group"] == "selisih":
        return (
            f"SELISIH {line['key']}: {line['field']} Musrenbang '{line['musrenbang']}', "
            f"SIPD '{line['sipd']}'"
        )
    if line["group"] == "tidak_di_sipd":
        return f"TIDAK ADA DI SIPD {line['key']}: {line['musrenbang']}"
    return f"TIDAK ADA DI MUSRENBANG {line['key']}: {line['sipd']}"


def _rank_in(decision: str) -> int | None:
    import re

    match = re.search(r"prioritas\s*(?:ke\s*)?-?\s*(\d+)", decision, re.IGNORECASE)
    return int(match.group(1)) if match else None


def _differences(ours: WorkRow, text: str) -> list[tuple[str, str, str]]:
    sipd = parse_recommendation(text)
    out = []
    kind = decision_kind(sipd.decision)
    rank = _rank_in(sipd.decision)
    if kind != ours.kind or (ours.kind == "prioritas" and rank is not None and rank != ours.rank):
        out.append(("keputusan", ours.decision, sipd.decision))
    if ours.has_figures:
        same_unit = not sipd.unit or header_key(sipd.unit) == header_key(ours.unit)
        if sipd.volume is None or Decimal(sipd.volume) != ours.volume or not same_unit:
            theirs = f"{volume_text(sipd.volume)} {sipd.unit}".strip() if sipd.volume else "-"
            out.append(("koefisien", ours.koefisien, theirs))
        if sipd.cost != ours.cost:
            out.append(("anggaran", ours.anggaran, str(sipd.cost) if sipd.cost else "-"))
    return out


def compare(rows: list[WorkRow], data: bytes) -> Report:
    """Read the SIPD export and compare it with the worklist ``rows``."""
    report = Report()
    read, raw = read_workbook(data, RECONCILE_LAYOUT)
    if read.errors:
        report.errors = read.errors
        return report
    theirs: dict[str, str] = {}
    for record in raw:
        key = row_key(record)
        if key:
            theirs[key] = _text(record.get("Rekomendasi Kecamatan"))
    ours = {row.key: row for row in rows if row.in_sipd}
    report.not_keyed = sum(1 for row in rows if not row.in_sipd)
    for key in sorted(set(ours) | set(theirs), key=key_sort):
        if key not in theirs:
            line = {"musrenbang": ours[key].recommendation, "sipd": ""}
            report.lines.append({"group": "tidak_di_sipd", "key": key, "field": "", **line})
        elif key not in ours:
            line = {"musrenbang": "", "sipd": theirs[key]}
            report.lines.append({"group": "tidak_di_musrenbang", "key": key, "field": "", **line})
        else:
            diffs = _differences(ours[key], theirs[key])
            if not diffs:
                report.matched.append(key)
            for name, mine, other in diffs:
                report.lines.append(
                    {"group": "selisih", "key": key, "field": name, "musrenbang": mine,
                     "sipd": other}
                )  # fmt: skip
    return report
