"""Writes of the master data."""

import csv
import gzip
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from musrenbang.models import Regency, Subdistrict, Village

WILAYAH_FILE = Path(__file__).resolve().parent / "data" / "wilayah.csv.gz"


@dataclass
class WilayahResult:
    regency: Regency
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    subdistricts: int = 0
    villages: int = 0


def _wilayah_rows(prefix: str, path: Path) -> tuple[dict[str, str], str | None, str | None]:
    """Return ``{code: name}`` under ``prefix`` plus the regency's and province's names."""
    province_code = prefix.split(".")[0]
    rows: dict[str, str] = {}
    regency_name = province_name = None
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["kode"].strip()
            if code == prefix:
                regency_name = row["nama"].strip()
            elif code == province_code:
                province_name = row["nama"].strip()
            elif code.startswith(prefix + "."):
                rows[code] = row["nama"].strip()
    return rows, regency_name, province_name


@transaction.atomic
def wilayah_load(*, regency_code: str, path: Path = WILAYAH_FILE) -> WilayahResult:
    """Load one kabupaten/kota with its kecamatan and desa/kelurahan from the national list.

    Idempotent: existing rows keep their ids and other fields; only names that changed are
    updated. Raises ``ValueError`` with an Indonesian message for an unknown code.
    """
    code = regency_code.strip()
    if code.count(".") != 1:
        raise ValueError(
            f"Kode kabupaten/kota harus berbentuk PP.KK (contoh 36.71), bukan {code!r}."
        )
    rows, regency_name, province_name = _wilayah_rows(code, path)
    if not regency_name:
        raise ValueError(f"Kode kabupaten/kota {code} tidak ada dalam daftar wilayah Kemendagri.")

    kind = Regency.Kind.KOTA if regency_name.startswith("Kota ") else Regency.Kind.KABUPATEN
    regency, created = Regency.objects.get_or_create(
        code=code,
        defaults={
            "name": regency_name,
            "kind": kind,
            "province_name": province_name or "",
            "head_title": "Wali Kota" if kind == Regency.Kind.KOTA else "Bupati",
        },
    )
    result = WilayahResult(regency=regency, created=int(created))
    if not created and regency.name != regency_name:
        regency.name = regency_name
        regency.save(update_fields=["name"])
        result.updated += 1

    existing_sub = {s.code: s for s in Subdistrict.objects.filter(regency=regency)}
    for sub_code in sorted(c for c in rows if c.count(".") == 2):
        _upsert(result, existing_sub, Subdistrict, sub_code, rows[sub_code], regency=regency)
    result.subdistricts = len(existing_sub)

    existing_vil = {v.code: v for v in Village.objects.filter(subdistrict__regency=regency)}
    new_villages = []
    for vil_code in sorted(c for c in rows if c.count(".") == 3):
        name = rows[vil_code]
        village = existing_vil.get(vil_code)
        if village is None:
            kind = (
                Village.Kind.KELURAHAN
                if vil_code.split(".")[3].startswith("1")
                else Village.Kind.DESA
            )
            new_villages.append(
                Village(
                    code=vil_code,
                    name=name,
                    kind=kind,
                    subdistrict=existing_sub[vil_code.rsplit(".", 1)[0]],
                )
            )
        elif village.name != name:
            village.name = name
            village.save(update_fields=["name"])
            result.updated += 1
        else:
            result.unchanged += 1
    Village.objects.bulk_create(new_villages)
    result.created += len(new_villages)
    result.villages = len(existing_vil) + len(new_villages)
    return result


def _upsert(result: WilayahResult, existing: dict, model, code: str, name: str, **fields) -> None:
    obj = existing.get(code)
    if obj is None:
        existing[code] = model.objects.create(code=code, name=name, **fields)
        result.created += 1
    elif obj.name != name:
        obj.name = name
        obj.save(update_fields=["name"])
        result.updated += 1
    else:
        result.unchanged += 1
