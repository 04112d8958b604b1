import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from musrenbang import formatting


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1250000, "Rp 1.250.000"), (0, "Rp 0"), (Decimal("999"), "Rp 999"), (-5000, "-Rp 5.000")],
)
def test_rupiah(value, expected):
    assert formatting.rupiah(value) == expected


def test_rupiah_of_nothing_is_a_dash():
    assert formatting.rupiah(None) == "-"


def test_number_uses_indonesian_separators():
    assert formatting.number(Decimal("1250.5"), 2) == "1.250,5"
    assert formatting.number(1500) == "1.500"


def test_tanggal():
    assert formatting.tanggal(dt.date(2026, 11, 22)) == "22 November 2026"
    assert formatting.tanggal(dt.date(2026, 11, 23), with_day=True) == "Senin, 23 November 2026"


def test_tanggal_waktu_in_wib():
    moment = dt.datetime(2026, 11, 22, 2, 30, tzinfo=ZoneInfo("UTC"))
    assert formatting.tanggal_waktu(moment) == "22 November 2026 09.30 WIB"


def test_tanggal_terbilang_for_berita_acara():
    words = formatting.tanggal_terbilang(dt.date(2026, 2, 23))
    assert words == {
        "hari": "Senin",
        "tanggal": "dua puluh tiga",
        "bulan": "Februari",
        "tahun": "dua ribu dua puluh enam",
    }
