"""Excel import (service and command) and export, read back with openpyxl."""

from io import BytesIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from proposals import excel
from proposals.models import Proposal, Status, Transition
from tests import factories as f
from tests.forums import send

pytestmark = pytest.mark.django_db

HEADER = [
    "No", "Kode Desa/Kelurahan", "Desa/Kelurahan", "Usulan Kegiatan", "Permasalahan", "Lokasi",
    "Volume", "Satuan", "Perkiraan Biaya (Rp)", "Bidang", "OPD Tujuan", "Prioritas Desa",
]  # fmt: skip


def _row(village, **over):
    row = {
        "No": 1,
        "Kode Desa/Kelurahan": village.code,
        "Desa/Kelurahan": "",
        "Usulan Kegiatan": "Pembangunan drainase",
        "Permasalahan": "Banjir",
        "Lokasi": "RT 01 / RW 02",
        "Volume": 150,
        "Satuan": "meter",
        "Perkiraan Biaya (Rp)": "Rp 1.250.000",
        "Bidang": "sarana dan prasarana",
        "OPD Tujuan": "pupr",
        "Prioritas Desa": 1,
    }
    row.update(over)
    return row


def workbook(rows, header=HEADER, title_rows=2) -> bytes:
    wb = Workbook()
    ws = wb.active
    for i in range(title_rows):
        ws.append([f"REKAP USULAN baris judul {i + 1}"])
    ws.append(header)
    for row in rows:
        ws.append([row.get(name) for name in header])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def setup(year, village, other_village, sector, agency, clerk):
    return clerk


def _import(data, subdistrict, actor=None, dry_run=False):
    return excel.import_proposals(
        actor=actor, data=data, subdistrict=subdistrict, year=2027, dry_run=dry_run
    )


def test_a_good_file_imports_every_row_as_received(setup, subdistrict, village, other_village):
    header = list(reversed(HEADER))  # columns in any order
    rows = [
        _row(village),
        _row(village, **{"Prioritas Desa": 2, "Perkiraan Biaya (Rp)": 2_500_000}),
        _row(
            other_village,
            **{
                "Kode Desa/Kelurahan": "",
                "Desa/Kelurahan": "SARI",
                "OPD Tujuan": "Dinas Pekerjaan Umum dan Penataan Ruang",
                "Volume": "12,5",
            },
        ),
    ]
    result = _import(workbook(rows, header=header, title_rows=5), subdistrict, actor=setup)
    assert result.ok, [str(e) for e in result.errors]
    assert result.count == 3
    proposals = list(Proposal.objects.order_by("reference"))
    assert [p.cost for p in proposals] == [1_250_000, 2_500_000, 1_250_000]
    assert proposals[2].village == other_village and str(proposals[2].volume) == "12.50"
    assert proposals[2].village_rank == 1  # priority given in the file
    assert {p.status for p in proposals} == {Status.RECEIVED}
    assert proposals[0].reference == "2027/91.01.01/0001"
    assert len({p.tracking_code for p in proposals}) == 3
    assert Transition.objects.count() == 3


def test_rows_without_priority_follow_the_highest_rank(setup, subdistrict, village, make_proposal):
    make_proposal(village_rank=4)
    result = _import(workbook([_row(village, **{"Prioritas Desa": None})]), subdistrict)
    assert result.ok
    assert Proposal.objects.order_by("-id").first().village_rank == 5


@pytest.mark.parametrize(
    ("over", "column", "message"),
    [
        ({"Kode Desa/Kelurahan": "99.99.99.9999"}, "Kode Desa/Kelurahan", "bukan desa"),
        ({"Kode Desa/Kelurahan": "", "Desa/Kelurahan": "Antah"}, "Desa/Kelurahan", "tidak ada"),
        ({"Volume": 0}, "Volume", "lebih dari 0"),
        ({"Volume": "banyak"}, "Volume", "angka"),
        ({"Perkiraan Biaya (Rp)": "sejuta"}, "Perkiraan Biaya (Rp)", "rupiah"),
        ({"Bidang": "Olahraga"}, "Bidang", "tidak dikenal"),
        ({"OPD Tujuan": "Dinas Antah"}, "OPD Tujuan", "tidak dikenal"),
        ({"Prioritas Desa": 0}, "Prioritas Desa", "bilangan bulat"),
        ({"Prioritas Desa": 1.5}, "Prioritas Desa", "bilangan bulat"),
        ({"Usulan Kegiatan": ""}, "Usulan Kegiatan", "Wajib"),
        ({"Lokasi": "=A1&B1"}, "Lokasi", "rumus"),
    ],
)
def test_one_bad_row_imports_nothing(setup, subdistrict, village, over, column, message):
    rows = [_row(village), _row(village, **{"Prioritas Desa": 2, **over})]
    result = _import(workbook(rows, title_rows=0), subdistrict)
    assert not result.ok
    assert Proposal.objects.count() == 0
    error = result.errors[0]
    assert (error.row, error.column) == (3, column)
    assert message.lower() in error.message.lower()


def test_duplicate_priority_in_the_file_is_an_error(setup, subdistrict, village):
    result = _import(workbook([_row(village), _row(village)]), subdistrict)
    assert [e.column for e in result.errors] == ["Prioritas Desa"]
    assert "lebih dari sekali" in result.errors[0].message
    assert Proposal.objects.count() == 0


def test_priority_taken_in_the_database_is_an_error(setup, subdistrict, village, make_proposal):
    make_proposal(village_rank=1)
    result = _import(workbook([_row(village)]), subdistrict)
    assert "sudah dipakai" in result.errors[0].message


def test_a_file_without_data_rows_is_an_error(setup, subdistrict):
    result = _import(workbook([]), subdistrict)
    assert not result.ok and "tidak berisi baris data" in result.errors[0].message


def test_a_file_without_header_is_an_error(setup, subdistrict, village):
    result = _import(workbook([_row(village)], title_rows=11), subdistrict)
    assert "judul kolom tidak ditemukan" in result.errors[0].message


def test_a_missing_required_column_is_named(setup, subdistrict, village):
    header = [h for h in HEADER if h != "Satuan"]
    result = _import(workbook([_row(village)], header=header), subdistrict)
    assert [(e.column, e.message) for e in result.errors] == [("Satuan", "Kolom wajib tidak ada.")]


def test_not_a_workbook_is_an_error(setup, subdistrict):
    result = _import(b"%PDF-1.4 bukan excel", subdistrict)
    assert "bukan lembar kerja" in result.errors[0].message


def test_formula_cells_are_rejected_not_stored(setup, subdistrict, village):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    row = _row(village)
    ws.append([row[name] for name in HEADER])
    ws["I2"] = "=100*1000"  # Perkiraan Biaya as a formula
    buffer = BytesIO()
    wb.save(buffer)
    result = _import(buffer.getvalue(), subdistrict)
    assert [(e.row, e.column) for e in result.errors] == [(2, "Perkiraan Biaya (Rp)")]
    assert "rumus" in result.errors[0].message
    assert not Proposal.objects.filter(title__startswith="=").exists()
    assert Proposal.objects.count() == 0


def test_dry_run_saves_nothing(setup, subdistrict, village):
    result = _import(workbook([_row(village)]), subdistrict, dry_run=True)
    assert result.ok and result.count == 1
    assert Proposal.objects.count() == 0


def test_error_workbook_adds_an_error_column(setup, subdistrict, village):
    data = workbook([_row(village), _row(village, Volume=-1, **{"Prioritas Desa": 2})])
    result = _import(data, subdistrict)
    ws = load_workbook(BytesIO(excel.error_workbook_from(data, result))).active
    assert ws.cell(row=3, column=13).value == "Kesalahan"
    assert ws.cell(row=4, column=13).value is None
    assert "Volume" in ws.cell(row=5, column=13).value


def test_command_imports_a_good_file(setup, subdistrict, village, tmp_path, capsys):
    path = tmp_path / "usulan.xlsx"
    path.write_bytes(workbook([_row(village)]))
    call_command("import_usulan", str(path), kecamatan="91.01.01", tahun=2027)
    assert "1 usulan diimpor" in capsys.readouterr().out
    assert Proposal.objects.count() == 1


def test_command_lists_errors_and_fails(setup, subdistrict, village, tmp_path, capsys):
    path = tmp_path / "usulan.xlsx"
    path.write_bytes(workbook([_row(village, Volume=0), _row(village, Bidang="X")]))
    with pytest.raises(CommandError, match="tidak ada usulan yang diimpor"):
        call_command("import_usulan", str(path), kecamatan="91.01.01", tahun=2027)
    err = capsys.readouterr().err
    assert "Baris 4, kolom Volume: Harus lebih dari 0." in err
    assert "Baris 5, kolom Bidang" in err
    assert Proposal.objects.count() == 0


def test_command_exits_1_on_a_file_without_rows(setup, subdistrict, tmp_path, capsys):
    path = tmp_path / "kosong.xlsx"
    path.write_bytes(workbook([]))
    with pytest.raises(CommandError) as caught:
        call_command("import_usulan", str(path), kecamatan="91.01.01", tahun=2027)
    assert caught.value.returncode == 1  # manage.py exits with this code
    assert "tidak berisi baris data" in capsys.readouterr().err


def test_command_refuses_an_unknown_kecamatan(setup, tmp_path):
    path = tmp_path / "usulan.xlsx"
    path.write_bytes(workbook([]))
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("import_usulan", str(path), kecamatan="00.00.00", tahun=2027)


def test_command_dry_run(setup, subdistrict, village, tmp_path, capsys):
    path = tmp_path / "usulan.xlsx"
    path.write_bytes(workbook([_row(village)]))
    call_command("import_usulan", str(path), kecamatan="91.01.01", tahun=2027, dry_run=True)
    assert "1 usulan siap diimpor" in capsys.readouterr().out
    assert Proposal.objects.count() == 0


def test_export_reads_back_and_escapes_formulas(setup, make_proposal, tmp_path, agency):
    make_proposal(
        title="=HYPERLINK(\"http://x\")", location="-RT 01", problem="@cmd", village_rank=1,
        suggested_agency=agency,
    )  # fmt: skip
    make_proposal(title="+62 jalan", village_rank=2, status=Status.VERIFIED)
    out = tmp_path / "ekspor.xlsx"
    call_command("export_usulan", tahun=2027, kecamatan="91.01.01", output=str(out))
    ws = load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[2]) == [*HEADER, "Kamus Usulan", "Status", "Nomor Usulan"]
    first, second = rows[3], rows[4]
    assert first[3] == '\'=HYPERLINK("http://x")' and first[5] == "'-RT 01"
    assert first[4] == "'@cmd" and second[3] == "'+62 jalan"
    assert first[10] == "PUPR" and second[13] == "Terverifikasi"
    for row in ws.iter_rows(min_row=4):
        assert all(cell.data_type != "f" for cell in row)


def test_an_export_can_be_imported_again(setup, make_proposal, village, subdistrict, tmp_path):
    make_proposal(title="=SUM(A1)", village_rank=1, cost=7_500_000)
    out = tmp_path / "ekspor.xlsx"
    call_command("export_usulan", tahun=2027, output=str(out))
    Proposal.objects.all().delete()
    result = _import(out.read_bytes(), subdistrict)
    assert result.ok, [str(e) for e in result.errors]
    proposal = Proposal.objects.get()
    assert proposal.title == "=SUM(A1)" and proposal.cost == 7_500_000


def test_re_importing_into_the_same_year_refuses_existing_references(
    setup, make_proposal, subdistrict, tmp_path
):
    make_proposal(village_rank=1)
    out = tmp_path / "ekspor.xlsx"
    call_command("export_usulan", tahun=2027, output=str(out))
    result = _import(out.read_bytes(), subdistrict)
    assert "Nomor Usulan" in {e.column for e in result.errors}
    assert Proposal.objects.count() == 1


def test_import_of_a_locked_year_is_refused(setup, subdistrict, village):
    from musrenbang.exceptions import Locked

    send(f.ForumFactory(subdistrict=subdistrict, year=2027))
    with pytest.raises(Locked):
        _import(workbook([_row(village)]), subdistrict)


def test_template_has_the_columns(setup, subdistrict):
    ws = load_workbook(BytesIO(excel.template_workbook(subdistrict=subdistrict))).active
    assert [c.value for c in ws[4]] == [*HEADER, "Kamus Usulan"]


@pytest.mark.parametrize(
    ("raw", "value"),
    [("Rp 1.250.000", 1250000), ("1.250.000,00", 1250000), (1250000.0, 1250000),
     ("Rp1250000", 1250000), ("1,5 juta", None), (12.5, None)],
)  # fmt: skip
def test_cost_parsing(raw, value):
    assert excel.parse_cost(raw) == value


def test_every_error_is_listed_formulas_and_values_together(setup, subdistrict, village):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    row = _row(village, Volume=0)
    ws.append([row[name] for name in HEADER])
    ws["L2"] = "=1+1"  # Prioritas Desa as a formula
    buffer = BytesIO()
    wb.save(buffer)
    result = _import(buffer.getvalue(), subdistrict)
    assert [(e.row, e.column) for e in result.errors] == [(2, "Volume"), (2, "Prioritas Desa")]
    assert "rumus" in result.errors[1].message


def test_optional_columns_may_be_left_out(setup, subdistrict, village):
    header = [h for h in HEADER if h not in ("No", "Permasalahan", "OPD Tujuan")]
    result = _import(workbook([_row(village)], header=header), subdistrict)
    assert result.ok, [str(e) for e in result.errors]
    assert Proposal.objects.get().suggested_agency is None


def test_error_workbook_puts_header_errors_next_to_the_label(setup, subdistrict, village):
    header = [h for h in HEADER if h != "Satuan"]
    data = workbook([_row(village)], header=header)
    result = _import(data, subdistrict)
    ws = load_workbook(BytesIO(excel.error_workbook_from(data, result))).active
    label = ws.cell(row=3, column=len(header) + 1).value
    assert label.startswith("Kesalahan") and "Satuan" in label
