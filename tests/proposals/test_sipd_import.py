"""Import of SIPD's usulan export: both header sets, desa in the address, keys, updates, locks."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from musrenbang.exceptions import DomainError
from proposals.excel.sipd import (
    coordinates_in,
    decision_kind,
    parse_recommendation,
    sipd_import,
)
from proposals.models import Proposal, Status, Transition
from tests import factories as f
from tests.sipd_workbooks import SET_2, row_1, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def master(year, village, other_village, sector, agency):
    return village, other_village


def _import(clerk, subdistrict, data, **kw):
    return sipd_import(actor=clerk, data=data, subdistrict=subdistrict, year=2027, **kw)


def test_header_set_1_with_title_block_finds_desa_in_address(master, clerk, subdistrict, agency):
    village, other = master
    rows = [row_1(1, "Mekar"), row_1(2, "Sari", **{"Alamat": "Kel. SARI RT 02, -6.2231, 106.7"})]
    result = _import(clerk, subdistrict, workbook(rows, title_rows=12))
    assert result.ok, result.errors
    assert result.created == 2
    first, second = Proposal.objects.order_by("id")
    assert first.village == village and second.village == other
    assert first.status == Status.RECEIVED
    assert first.sipd_key == "1 | 2026-01-10 | Desa Mekar | Rehabilitasi jalan lingkungan 1"
    assert first.volume == 2 and first.unit == "Lokasi" and first.cost == 150_000_000
    assert first.sipd_usulan == first.title == "Rehabilitasi jalan lingkungan 1"
    assert first.problem == "Jalan rusak dan becek"
    assert first.suggested_agency == agency
    assert second.latitude == Decimal("-6.223100") and second.longitude == Decimal("106.700000")
    assert Transition.objects.filter(reason__icontains="SIPD").count() == 2


def test_header_set_2_uses_the_id_the_desa_column_and_figure_columns(master, clerk, subdistrict):
    row = {
        "ID Usulan": "884211", "Tgl Usul": "2026-01-11", "Usulan": "Sumur bor",
        "Permasalahan": "Air bersih sulit", "Alamat": "Dusun II", "Desa/Kelurahan": "Desa Sari",
        "SKPD Tujuan Akhir": "Dinas Entah Apa", "Volume": "1,5", "Satuan": "unit",
        "Anggaran": "Rp 75.000.000",
    }  # fmt: skip
    result = _import(clerk, subdistrict, workbook([row], header=SET_2, title_rows=0))
    assert result.ok, result.errors
    proposal = Proposal.objects.get()
    assert proposal.sipd_key == "884211" and proposal.village == master[1]
    assert proposal.volume == Decimal("1.5") and proposal.cost == 75_000_000
    assert proposal.suggested_agency is None and proposal.sipd_agency_unknown
    assert result.unknown_agencies == ["Dinas Entah Apa"]


def test_header_found_only_within_first_15_rows(master, clerk, subdistrict):
    result = _import(clerk, subdistrict, workbook([row_1(1, "Mekar")], title_rows=15))
    assert not result.ok
    assert "15 baris pertama" in result.errors[0].message


def test_longest_village_name_in_address_wins(year, subdistrict, sector, clerk):
    f.VillageFactory(subdistrict=subdistrict, code="91.01.01.2011", name="Stabat")
    baru = f.VillageFactory(subdistrict=subdistrict, code="91.01.01.2012", name="Stabat Baru")
    rows = [row_1(1, "x", **{"Alamat": "Jl. Sudirman, Kelurahan Stabat Baru"})]
    assert _import(clerk, subdistrict, workbook(rows)).ok
    assert Proposal.objects.get().village == baru


def test_ambiguous_or_unknown_address_is_a_row_error_naming_row_and_address(
    year, subdistrict, sector, clerk
):
    f.VillageFactory(subdistrict=subdistrict, code="91.01.01.2011", name="Mekar")
    f.VillageFactory(subdistrict=subdistrict, code="91.01.01.2012", name="Indah")
    rows = [
        row_1(1, "x", **{"Alamat": "Perbatasan Desa Mekar dan Desa Indah"}),
        row_1(2, "x", **{"Alamat": "Desa Antah Berantah"}),
    ]
    result = _import(clerk, subdistrict, workbook(rows, title_rows=1))
    assert not result.ok and Proposal.objects.count() == 0
    assert [(e.row, e.column) for e in result.errors] == [(3, "Alamat"), (4, "Alamat")]
    assert "lebih dari satu" in result.errors[0].message
    assert "Perbatasan Desa Mekar dan Desa Indah" in result.errors[0].message
    assert "Desa Antah Berantah" in result.errors[1].message


def test_formula_cell_is_refused(master, clerk, subdistrict):
    data = workbook([row_1(1, "Mekar")], formula_at=(0, "Usulan"))
    result = _import(clerk, subdistrict, data)
    assert [(e.column, "rumus" in e.message) for e in result.errors] == [("Usulan", True)]
    assert Proposal.objects.count() == 0


def test_file_that_is_not_a_workbook_is_refused(master, clerk, subdistrict):
    result = _import(clerk, subdistrict, b"%PDF-1.4 bukan excel")
    assert not result.ok and "bukan lembar kerja" in result.errors[0].message


@pytest.mark.parametrize(
    "text, volume, unit, cost, kind",
    [
        ("Disetujui. Koefisien : 2 Lokasi, Anggaran : 150000000", "2", "Lokasi", 150_000_000,
         "prioritas"),
        ("disetujui, prioritas 3. koefisien: 2,5 meter, anggaran: Rp 1.250.000", "2.5", "meter",
         1_250_000, "prioritas"),
        ("Cadangan: pagu habis. KOEFISIEN : 1.000 m2, ANGGARAN : Rp. 12.000.000,00", "1000",
         "m2", 12_000_000, "cadangan"),
        ("Tidak disetujui: di luar kewenangan", None, "", None, "ditolak"),
        ("Disetujui. Anggaran : 5000000", None, "", 5_000_000, "prioritas"),
        ("Tidak dibahas", None, "", None, "tidak_dibahas"),
    ],
)  # fmt: skip
def test_recommendation_text_in_several_spellings(text, volume, unit, cost, kind):
    rec = parse_recommendation(text)
    assert rec.volume == (Decimal(volume) if volume else None)
    assert rec.unit == unit and rec.cost == cost
    assert decision_kind(rec.decision) == kind


def test_coordinates_need_a_plausible_pair():
    assert coordinates_in("Jl. A, 3.7712, 98.4521") == (Decimal("3.771200"), Decimal("98.452100"))
    assert coordinates_in("RT 01 RW 02") is None


def test_reimporting_the_same_file_changes_nothing(master, clerk, subdistrict):
    data = workbook([row_1(1, "Mekar"), row_1(2, "Sari")])
    _import(clerk, subdistrict, data)
    before = list(Proposal.objects.values_list("id", "updated_at"))
    again = _import(clerk, subdistrict, data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert list(Proposal.objects.values_list("id", "updated_at")) == before


def test_later_export_updates_undecided_rows_and_adds_new(master, clerk, subdistrict):
    _import(clerk, subdistrict, workbook([row_1(1, "Mekar")]))
    later = [
        row_1(1, "Mekar", **{"Permasalahan": "Jalan putus", "Rekomendasi Kelurahan/Desa":
                             "Disetujui. Koefisien : 3 Lokasi, Anggaran : 200000000"}),
        row_1(2, "Sari"),
    ]  # fmt: skip
    result = _import(clerk, subdistrict, workbook(later))
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    first = Proposal.objects.order_by("id").first()
    assert first.problem == "Jalan putus" and first.volume == 3 and first.cost == 200_000_000
    assert Proposal.objects.count() == 2


def test_row_in_a_sent_forum_is_never_changed_and_reported_locked(master, clerk, subdistrict):
    _import(clerk, subdistrict, workbook([row_1(1, "Mekar")]))
    proposal = Proposal.objects.get()
    forum = f.ForumFactory(subdistrict=subdistrict, year=2027)
    f.ForumItemFactory(forum=forum, proposal=proposal)
    f.mark_sent(forum)
    later = [row_1(1, "Mekar", **{"Permasalahan": "Berubah"}), row_1(2, "Sari")]
    result = _import(clerk, subdistrict, workbook(later))
    assert result.ok and result.updated == 0 and result.created == 0
    assert len(result.locked) == 2
    proposal.refresh_from_db()
    assert proposal.problem == "Jalan rusak dan becek"
    assert Proposal.objects.count() == 1


def test_dry_run_saves_nothing(master, clerk, subdistrict):
    result = _import(clerk, subdistrict, workbook([row_1(1, "Mekar")]), dry_run=True)
    assert result.ok and result.created == 1 and Proposal.objects.count() == 0


def test_duplicate_key_in_file_is_a_row_error(master, clerk, subdistrict):
    result = _import(clerk, subdistrict, workbook([row_1(1, "Mekar"), row_1(1, "Mekar")]))
    assert not result.ok and "sama dengan baris" in result.errors[0].message


def test_other_kecamatan_staff_and_operator_may_not_import(master, subdistrict, other_clerk,
                                                          operator):  # fmt: skip
    for user in (other_clerk, operator):
        with pytest.raises(DomainError):
            _import(user, subdistrict, workbook([row_1(1, "Mekar")]))


def test_import_refused_when_year_not_opened(village, sector, clerk, subdistrict):
    with pytest.raises(DomainError, match="belum dibuka"):
        _import(clerk, subdistrict, workbook([row_1(1, "Mekar")]))


def test_command_imports_and_reports(master, subdistrict, tmp_path):
    path = tmp_path / "sipd.xlsx"
    path.write_bytes(workbook([row_1(1, "Mekar")]))
    out = StringIO()
    call_command("import_sipd", str(path), "--kecamatan", subdistrict.code, "--tahun", "2027",
                 stdout=out)  # fmt: skip
    assert "1 usulan baru" in out.getvalue()
    path.write_bytes(workbook([row_1(1, "Nowhere", **{"Alamat": "Antah"})]))
    with pytest.raises(CommandError, match="1 kesalahan"):
        call_command("import_sipd", str(path), "--kecamatan", subdistrict.code, "--tahun", "2027",
                     stdout=StringIO(), stderr=StringIO())  # fmt: skip


def test_page_imports_and_offers_the_error_file_back(master, clerk, as_user):
    from io import BytesIO

    from django.urls import reverse
    from openpyxl import load_workbook

    client = as_user(clerk)
    url = reverse("proposals:import_sipd")
    bad = BytesIO(workbook([row_1(1, "x", **{"Alamat": "Antah"}), row_1(2, "Sari")]))
    bad.name = "sipd.xlsx"
    html = client.post(url, {"file": bad, "tahun": "2027"}).content.decode()
    assert "1 kesalahan; tidak ada usulan yang diimpor" in html and "Antah" in html
    assert Proposal.objects.count() == 0
    annotated = client.get(reverse("proposals:import_errors"))
    sheet = load_workbook(BytesIO(b"".join(annotated.streaming_content))).active
    assert "Desa/kelurahan tidak dapat ditentukan" in str(sheet.cell(row=5, column=17).value)
    good = BytesIO(workbook([row_1(1, "Mekar")]))
    good.name = "sipd.xlsx"
    response = client.post(url, {"file": good, "tahun": "2027"}, follow=True)
    assert "Impor SIPD selesai: 1 usulan baru" in response.content.decode()
    assert ">SIPD</span>" in response.content.decode()  # the badge on the incoming list
    listed = client.get(reverse("proposals:incoming"), {"tahun": 2027, "asal": "musrenbang"})
    assert "Rehabilitasi jalan lingkungan 1" not in listed.content.decode()
    odd = client.get(reverse("proposals:incoming"), {"tahun": 2027, "asal": "<x>"})
    assert odd.status_code == 200 and "Nilai tidak valid untuk asal data" in odd.content.decode()


def test_usulan_is_matched_to_the_years_kamus_and_the_unmatched_are_listed(
    master, clerk, subdistrict, regency, sector, agency
):
    from musrenbang.models import KamusEntry

    paving = KamusEntry.objects.create(
        regency=regency, year=2027, name="Paving Blok Jalan Lingkungan", unit="m2",
        unit_price=150_000, sector=sector, agency=agency,
    )  # fmt: skip
    KamusEntry.objects.create(  # another year's entry of the same name never matches
        regency=regency, year=2026, name="Sumur Bor", unit="unit", unit_price=1,
        sector=sector, agency=agency,
    )  # fmt: skip
    rows = [
        row_1(1, "Mekar", Usulan="paving blok  jalan lingkungan"),
        row_1(2, "Mekar", Usulan="Sumur Bor"),
    ]
    result = _import(clerk, subdistrict, workbook(rows))
    assert result.ok, result.errors
    matched, unmatched = Proposal.objects.order_by("id")
    assert matched.kamus == paving and matched.sipd_usulan == "paving blok  jalan lingkungan"
    assert unmatched.kamus is None and unmatched.sipd_usulan == "Sumur Bor"
    assert result.unmatched_kamus == ["Sumur Bor"]


def test_command_lists_usulan_without_a_kamus_entry(master, clerk, subdistrict, tmp_path):
    path = tmp_path / "sipd.xlsx"
    path.write_bytes(workbook([row_1(1, "Mekar")]))
    out = StringIO()
    call_command("import_sipd", str(path), kecamatan=subdistrict.code, tahun=2027, stdout=out)
    assert "Usulan 'Rehabilitasi jalan lingkungan 1' tidak ada di kamus usulan" in out.getvalue()
