"""Kamus usulan and the year's nomenclature: imports, rollover, matching, search, cost, flags.

Codes in these tests are fictional (urusan 9); real codes live only in musrenbang/data/kamus.
"""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from musrenbang import kamus_services, selectors
from musrenbang.exceptions import DomainError
from musrenbang.models import CodeMapping, Instrument, KamusEntry, Nomenclature, RegionalTarget
from musrenbang.rulebook import Forbidden
from musrenbang.rules import KAMUS_REFUSED as REFUSED
from proposals import services as proposal_services
from tests import factories as f
from tests.forums import send

NOMEN_HEADER = ["Kode", "Nomenklatur", "Tingkat", "Kinerja", "Indikator", "Satuan", "Kode Lama"]
KAMUS_HEADER = [
    "Nama Usulan",
    "Uraian Pekerjaan",
    "Satuan",
    "Harga Satuan (Rp)",
    "Jenis",
    "Bidang",
    "OPD",
    "Kode Sub Kegiatan",
    "Prioritas Daerah",
    "Sasaran Daerah",
    "Aktif",
]
TREE = [
    ["9", "Urusan Uji", "Urusan", "", "", "", ""],
    ["9.99", "Bidang Urusan Uji", "Bidang urusan", "", "", "", ""],
    ["9.99.01", "Program Jalan Uji", "Program", "", "", "", ""],
    ["9.99.01.2.01", "Kegiatan Jalan Uji", "Kegiatan", "", "", "", ""],
    ["9.99.01.2.01.0001", "Pembangunan Jalan Uji", "Sub kegiatan", "Jalan terbangun",
     "Panjang jalan yang dibangun", "km", ""],
    ["9.99.01.2.01.0002", "Rehabilitasi Jalan Uji", "Sub kegiatan", "Jalan direhabilitasi",
     "Panjang jalan yang direhabilitasi", "km", ""],
]  # fmt: skip


def workbook(header, rows, title: str | None = "Daftar uji") -> bytes:
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
        ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def load_tree(name="Instrumen Uji 1/2026", year=2026, rows=TREE) -> Instrument:
    result = kamus_services.import_nomenclature(
        actor=None, data=workbook(NOMEN_HEADER, rows), instrument_name=name, first_year=year
    )
    assert result.ok, result.errors
    return Instrument.objects.get(name=name)


@pytest.fixture
def tree(db):
    return load_tree()


@pytest.fixture
def road(tree):
    return Nomenclature.objects.get(instrument=tree, code="9.99.01.2.01.0001")


@pytest.fixture
def paving(regency, year, sector, agency, road):
    return KamusEntry.objects.create(
        regency=regency,
        year=2027,
        name="Paving Blok Jalan Lingkungan",
        unit="m2",
        unit_price=150_000,
        sector=sector,
        agency=agency,
        sub_activity=road,
    )


# --- Nomenclature import ---


def test_nomenclature_import_saves_levels_parents_and_metadata(db):
    instrument = load_tree()
    sub = Nomenclature.objects.select_related("parent__parent").get(code="9.99.01.2.01.0001")
    assert sub.level == Nomenclature.Level.SUB
    assert sub.parent.code == "9.99.01.2.01" and sub.parent.parent.code == "9.99.01"
    assert (sub.performance, sub.indicator, sub.unit) == (
        "Jalan terbangun",
        "Panjang jalan yang dibangun",
        "km",
    )
    assert instrument.first_year == 2026 and instrument.rows.count() == 6


def test_nomenclature_import_with_bad_rows_saves_nothing_and_names_each_error(db):
    rows = [
        *TREE[:4],
        ["9.99.01.2.01.00X1", "Kode salah", "", "", "", "", ""],
        ["9.99.02.2.01.0001", "Induk tidak ada", "", "", "", "", ""],
        ["9.99.01.2.01.0001", "", "", "", "", "", ""],
        ["9.99.01.2.01.0002", "Tingkat salah", "Program", "", "", "", ""],
        ["9.99.01.2.01.0001", "Duplikat", "", "", "", "", ""],
    ]
    result = kamus_services.import_nomenclature(
        actor=None, data=workbook(NOMEN_HEADER, rows), instrument_name="X", first_year=2026
    )
    messages = [str(e) for e in result.errors]
    assert not result.ok
    assert any("Baris 8, kolom Kode" in m and "tidak berbentuk" in m for m in messages)
    assert any("Baris 9" in m and "Induk 9.99.02.2.01" in m for m in messages)
    assert any(m == "Baris 10, kolom Nomenklatur: Wajib diisi." for m in messages)
    assert any("Baris 11, kolom Tingkat" in m for m in messages)
    assert any("Baris 12" in m and "lebih dari sekali" in m for m in messages)
    assert not Instrument.objects.exists() and not Nomenclature.objects.exists()


def test_nomenclature_import_refuses_formula_cells(db):
    rows = [*TREE[:4], ["9.99.01.2.01.0001", '=HYPERLINK("x")', "", "", "", "", ""]]
    result = kamus_services.import_nomenclature(
        actor=None, data=workbook(NOMEN_HEADER, rows), instrument_name="X", first_year=2026
    )
    assert any("rumus" in e.message for e in result.errors)
    assert not Nomenclature.objects.exists()


def test_nomenclature_dry_run_previews_without_saving(db):
    result = kamus_services.import_nomenclature(
        actor=None,
        data=workbook(NOMEN_HEADER, TREE),
        instrument_name="X",
        first_year=2026,
        dry_run=True,
    )
    assert result.ok and result.count == 6
    assert "9.99.01.2.01.0001 Pembangunan Jalan Uji (baru)" in result.changes
    assert not Nomenclature.objects.exists()


def test_nomenclature_import_is_refused_to_kecamatan_staff(clerk):
    with pytest.raises(Forbidden, match=REFUSED):
        kamus_services.import_nomenclature(
            actor=clerk, data=workbook(NOMEN_HEADER, TREE), instrument_name="X", first_year=2026
        )


def test_import_nomenklatur_command_reports_errors_and_imports(db, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook(NOMEN_HEADER, [["9.99.01", "Tanpa induk", "", "", "", "", ""]]))
    with pytest.raises(CommandError, match="1 kesalahan"):
        call_command("import_nomenklatur", str(bad), instrumen="X", tahun=2026)
    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook(NOMEN_HEADER, TREE))
    call_command("import_nomenklatur", str(good), instrumen="Instrumen Uji", tahun=2026)
    assert Nomenclature.objects.filter(instrument__name="Instrumen Uji").count() == 6


def test_year_uses_the_instrument_in_force(db):
    old = load_tree("Lama", 2026)
    new = load_tree("Baru", 2028)
    assert selectors.instrument_for_year(2025) is None
    assert selectors.instrument_for_year(2027) == old
    assert selectors.instrument_for_year(2028) == new
    assert selectors.instrument_for_year(2030) == new


# --- Kamus import ---


def _kamus_row(name="Paving Blok", code="9.99.01.2.01.0001", **over):
    row = {
        "Nama Usulan": name,
        "Uraian Pekerjaan": "Pemasangan paving blok K-300",
        "Satuan": "m2",
        "Harga Satuan (Rp)": "Rp 150.000",
        "Jenis": "Fisik",
        "Bidang": "Sarana dan Prasarana",
        "OPD": "PUPR",
        "Kode Sub Kegiatan": code,
        "Prioritas Daerah": "Infrastruktur",
        "Sasaran Daerah": "Meningkatnya kemantapan jalan",
        "Aktif": "Ya",
    }
    row.update(over)
    return [row[h] for h in KAMUS_HEADER]


@pytest.fixture
def master(regency, tree):
    f.SectorFactory(regency=regency, name="Sarana dan Prasarana")
    f.AgencyFactory(regency=regency, abbreviation="PUPR", name="Dinas PUPR Uji")
    f.DevelopmentPriorityFactory(regency=regency, name="Infrastruktur")


def test_kamus_import_saves_entries_with_sub_activity_and_creates_the_target(
    regency, master, bappeda
):
    data = workbook(KAMUS_HEADER, [_kamus_row(), _kamus_row("Rabat Beton", Jenis="Non-fisik")])
    result = kamus_services.import_kamus(actor=bappeda, data=data, regency=regency, year=2027)
    assert result.ok, result.errors
    entry = KamusEntry.objects.get(name="Paving Blok")
    assert entry.unit_price == 150_000 and entry.agency.abbreviation == "PUPR"
    assert entry.sub_activity.code == "9.99.01.2.01.0001"
    assert entry.target.name == "Meningkatnya kemantapan jalan"
    assert KamusEntry.objects.get(name="Rabat Beton").kind == KamusEntry.Kind.NON_PHYSICAL
    assert RegionalTarget.objects.count() == 1


def test_kamus_import_with_bad_rows_saves_nothing(regency, master, bappeda):
    rows = [
        _kamus_row(),
        _kamus_row("OPD asing", OPD="Dinas Entah"),
        _kamus_row("Kode lain tahun", code="9.99.01.2.01.0099"),
        _kamus_row("Harga salah", **{"Harga Satuan (Rp)": "seratus"}),
        _kamus_row("Paving Blok"),
    ]
    result = kamus_services.import_kamus(
        actor=bappeda, data=workbook(KAMUS_HEADER, rows), regency=regency, year=2027
    )
    messages = [str(e) for e in result.errors]
    assert any("Baris 5, kolom OPD" in m for m in messages)
    assert any("Baris 6, kolom Kode Sub Kegiatan" in m and "tidak berlaku" in m for m in messages)
    assert any("Baris 7, kolom Harga Satuan (Rp)" in m for m in messages)
    assert any(m == "Baris 8, kolom Nama Usulan: Nama muncul dua kali." for m in messages)
    assert not KamusEntry.objects.exists()


def test_kamus_import_refuses_a_code_of_another_instrument_year(regency, master, bappeda):
    """A year before the instrument's first year has no nomenclature: the code is invalid."""
    result = kamus_services.import_kamus(
        actor=bappeda, data=workbook(KAMUS_HEADER, [_kamus_row()]), regency=regency, year=2025
    )
    assert [e.column for e in result.errors] == ["Kode Sub Kegiatan"]


def test_kamus_import_is_refused_to_bappeda_of_another_regency(regency, master, outside_bappeda):
    with pytest.raises(Forbidden, match=REFUSED):
        kamus_services.import_kamus(
            actor=outside_bappeda,
            data=workbook(KAMUS_HEADER, [_kamus_row()]),
            regency=regency,
            year=2027,
        )


def test_kamus_of_a_year_whose_forum_was_sent_cannot_change(regency, subdistrict, master, bappeda):
    send(f.ForumFactory(subdistrict=subdistrict, year=2027))
    with pytest.raises(Forbidden, match="sudah dikirim ke OPD"):
        kamus_services.import_kamus(
            actor=bappeda, data=workbook(KAMUS_HEADER, [_kamus_row()]), regency=regency, year=2027
        )
    # The next year is still open.
    result = kamus_services.import_kamus(
        actor=bappeda, data=workbook(KAMUS_HEADER, [_kamus_row()]), regency=regency, year=2028
    )
    assert result.ok


def test_import_kamus_command(regency, master, tmp_path):
    path = tmp_path / "kamus.xlsx"
    path.write_bytes(workbook(KAMUS_HEADER, [_kamus_row()], title=None))
    call_command("import_kamus", str(path), kabupaten=regency.code, tahun=2027)
    assert KamusEntry.objects.filter(regency=regency, year=2027).count() == 1
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("import_kamus", str(path), kabupaten="00.00", tahun=2027)


# --- Year rollover ---


def test_rollover_remaps_a_renumbered_code_and_lists_invalid_entries(regency, paving, bappeda):
    old = paving.sub_activity.instrument
    gone = Nomenclature.objects.get(instrument=old, code="9.99.01.2.01.0002")
    KamusEntry.objects.create(
        regency=regency, year=2027, name="Rehab Jalan", unit="m", unit_price=1, sub_activity=gone
    )
    # The 2028 instrument renumbers 0001 to 0101 and drops 0002.
    new_rows = [*TREE[:4], ["9.99.01.2.01.0101", "Pembangunan Jalan Uji", "", "Jalan terbangun",
                            "Panjang jalan", "km", "9.99.01.2.01.0001"]]  # fmt: skip
    new = load_tree("Instrumen Uji 2/2028", 2028, new_rows)
    assert CodeMapping.objects.get(instrument=new).new_code == "9.99.01.2.01.0101"

    result = kamus_services.kamus_copy_year(
        actor=bappeda, regency=regency, from_year=2027, to_year=2028
    )
    copied = KamusEntry.objects.get(year=2028, name=paving.name)
    assert copied.sub_activity.code == "9.99.01.2.01.0101"
    assert copied.sub_activity.instrument == new
    assert [(e.name, code) for e, code in result.invalid] == [("Rehab Jalan", "9.99.01.2.01.0002")]
    assert KamusEntry.objects.get(year=2028, name="Rehab Jalan").sub_activity is None
    # The past year is never rewritten.
    paving.refresh_from_db()
    assert paving.sub_activity.code == "9.99.01.2.01.0001"
    # Copying again changes nothing.
    again = kamus_services.kamus_copy_year(
        actor=bappeda, regency=regency, from_year=2027, to_year=2028
    )
    assert again.created == [] and len(again.skipped) == 2


def test_rollover_is_refused_to_kecamatan_staff(regency, paving, clerk):
    with pytest.raises(Forbidden, match=REFUSED):
        kamus_services.kamus_copy_year(actor=clerk, regency=regency, from_year=2027, to_year=2028)


# --- Matching SIPD's Usulan text ---


def test_kamus_match_exact_then_normalised(regency, paving):
    match = selectors.kamus_match
    assert match(regency=regency, year=2027, text="Paving Blok Jalan Lingkungan") == paving
    assert match(regency=regency, year=2027, text="  paving-blok   jalan LINGKUNGAN. ") == paving
    assert match(regency=regency, year=2027, text="Paving Blok") is None
    assert match(regency=regency, year=2028, text="Paving Blok Jalan Lingkungan") is None
    assert match(regency=regency, year=2027, text="") is None


def test_kamus_match_prefers_the_exact_name_and_refuses_ambiguity(regency, paving):
    exact = KamusEntry.objects.create(
        regency=regency, year=2027, name="paving blok jalan lingkungan", unit="m2", unit_price=1
    )
    text = "paving blok jalan lingkungan"
    assert selectors.kamus_match(regency=regency, year=2027, text=text) == exact
    assert (
        selectors.kamus_match(regency=regency, year=2027, text="Paving  blok jalan lingkungan")
        is None
    )


# --- Search as you type ---


def test_kamus_search_returns_json_of_the_users_regency(as_user, operator, paving):
    url = reverse("kamus_search") + "?tahun=2027&q=paving"
    data = as_user(operator).get(url).json()
    assert [r["name"] for r in data["results"]] == ["Paving Blok Jalan Lingkungan"]
    first = data["results"][0]
    assert first["unit_price"] == 150_000 and first["agency"] == paving.agency_id
    assert first["sub_activity"].startswith("9.99.01.2.01.0001")


def test_kamus_search_finds_by_sub_activity_code(as_user, clerk, paving):
    url = reverse("kamus_search") + "?tahun=2027&q=9.99.01.2.01.0001"
    assert len(as_user(clerk).get(url).json()["results"]) == 1


def test_kamus_search_is_refused_outside_the_regency(client, as_user, outside_bappeda, paving):
    url = reverse("kamus_search") + "?tahun=2027&q=paving"
    assert as_user(outside_bappeda).get(url).json()["results"] == []
    other = reverse("kamus_search") + "?tahun=2027&q=paving&kab=91.01"
    assert as_user(outside_bappeda).get(other).json()["results"] == []  # kab= only for superusers


def test_kamus_search_anonymous_goes_to_login(client, paving):
    response = client.get(reverse("kamus_search") + "?tahun=2027&q=paving")
    assert response.status_code == 302 and "/masuk/" in response.headers["Location"]


def test_kamus_search_takes_the_current_year_and_refuses_a_bad_one(as_user, operator, paving):
    client = as_user(operator)
    assert len(client.get(reverse("kamus_search") + "?q=paving").json()["results"]) == 1
    assert client.get(reverse("kamus_search") + "?tahun=dua&q=paving").status_code == 400


def test_kamus_search_refuses_a_user_without_role(as_user, no_role, paving):
    assert as_user(no_role).get(reverse("kamus_search") + "?tahun=2027").status_code == 403


@pytest.mark.parametrize("n", [5, 50])
def test_kamus_search_costs_constant_queries(
    as_user, operator, regency, agency, road, n, django_assert_max_num_queries
):
    KamusEntry.objects.bulk_create(
        KamusEntry(regency=regency, year=2027, name=f"Jalan uji {i:03d}", unit="m",
                   unit_price=1000 + i, agency=agency, sub_activity=road)
        for i in range(n)
    )  # fmt: skip
    client = as_user(operator)
    # session + user + the entries (with OPD and sub kegiatan joined)
    with django_assert_max_num_queries(3):
        response = client.get(reverse("kamus_search") + "?tahun=2027&q=jalan")
    assert len(response.json()["results"]) == min(n, selectors.KAMUS_SEARCH_LIMIT)


# --- The proposal form: cost proposal, override note, flags ---


def _data(**over):
    data = {"title": "Paving gang", "location": "RT 01", "volume": Decimal("40"), "unit": ""}
    data.update(over)
    return data


def test_kamus_fills_unit_opd_sub_activity_and_proposes_cost(operator, village, year, paving):
    proposal = proposal_services.proposal_create(
        actor=operator, year=2027, village=village, data=_data(kamus=paving, cost=None)
    )
    assert proposal.cost == 40 * 150_000
    assert proposal.unit == "m2" and proposal.sector == paving.sector
    assert proposal.suggested_agency == paving.agency
    assert proposal.sub_activity == paving.sub_activity
    assert proposal.kamus_difference == 0


def test_a_different_cost_needs_a_note_and_keeps_the_difference(clerk, village, year, paving):
    with pytest.raises(DomainError, match="catatan penyesuaian biaya"):
        proposal_services.proposal_create(
            actor=clerk, year=2027, village=village, data=_data(kamus=paving, cost=7_000_000)
        )
    proposal = proposal_services.proposal_create(
        actor=clerk,
        year=2027,
        village=village,
        data=_data(kamus=paving, cost=7_000_000, cost_note="Tanah labil, perlu lapisan dasar"),
    )
    assert proposal.kamus_difference == 1_000_000
    assert proposal.cost_note == "Tanah labil, perlu lapisan dasar"


def test_kamus_of_another_year_is_refused(operator, village, year, paving):
    paving.year = 2028
    paving.save()
    with pytest.raises(DomainError, match="tahun 2027"):
        proposal_services.proposal_create(
            actor=operator, year=2027, village=village, data=_data(kamus=paving, cost=None)
        )


def test_flags_mark_direct_far_cost_other_opd_and_invalid_sub_activity(
    regency, village, paving, settings
):
    settings.KAMUS_COST_TOLERANCE = 0.2
    direct = f.ProposalFactory(village=village)
    assert "Usulan langsung" in selectors.kamus_flags(direct)[0]
    close = f.ProposalFactory(
        village=village, kamus=paving, volume=10, cost=1_700_000,
        suggested_agency=paving.agency, sub_activity=paving.sub_activity,
    )  # fmt: skip
    assert selectors.kamus_flags(close) == []
    other = f.AgencyFactory(regency=regency, abbreviation="DINKES")
    far = f.ProposalFactory(
        village=village, kamus=paving, volume=10, cost=2_000_000,
        suggested_agency=other, sub_activity=paving.sub_activity,
    )  # fmt: skip
    flags = selectors.kamus_flags(far)
    assert any("lebih dari 20%" in flag for flag in flags)
    assert any("OPD berbeda" in flag for flag in flags)
    newer = load_tree("Instrumen Baru", 2027)
    assert newer == selectors.instrument_for_year(2027)
    assert any("tidak berlaku pada tahun 2027" in flag for flag in selectors.kamus_flags(close))


def test_create_page_offers_the_kamus_picker_and_saves_the_choice(
    as_user, operator, village, year, paving
):
    client = as_user(operator)
    page = client.get(reverse("proposals:create")).content.decode()
    assert 'class="col-12 kamus-picker"' in page and "js/kamus.js" in page
    assert 'data-kamus-year="2027"' in page
    response = client.post(
        reverse("proposals:create"),
        {
            "title": "Paving gang mawar",
            "location": "RT 02",
            "volume": "10",
            "unit": "m2",
            "cost": "1500000",
            "sector": paving.sector_id,
            "suggested_agency": paving.agency_id,
            "kamus": paving.pk,
        },
    )
    assert response.status_code == 302
    proposal = village.proposals.get(title="Paving gang mawar")
    assert proposal.kamus == paving and proposal.sub_activity == paving.sub_activity


def test_forum_verification_shows_the_kamus_difference_and_the_note(
    as_user, camat, subdistrict, village, year, paving
):
    from tests.sessions.factories import running

    forum = f.ForumFactory(subdistrict=subdistrict, year=2027)
    running(forum)
    proposal = f.ProposalFactory(
        village=village, kamus=paving, volume=10, cost=1_800_000, cost_note="Harga naik",
        suggested_agency=paving.agency, sub_activity=paving.sub_activity, status="terverifikasi",
    )  # fmt: skip
    f.ForumItemFactory(forum=forum, proposal=proposal)
    text = as_user(camat).get(reverse("forum:verification", args=[forum.pk])).content.decode()
    assert "selisih kamus Rp 300.000" in text
    assert "Catatan biaya: Harga naik" in text
    assert "Biaya berbeda lebih dari 20%" not in text  # 20% of 1.500.000 is the limit


def test_forum_addition_with_kamus_proposes_the_cost(camat, subdistrict, village, year, paving):
    from sessions import services as forum_services
    from tests.sessions.factories import running

    forum = f.ForumFactory(subdistrict=subdistrict, year=2027)
    running(forum)
    item = forum_services.kecamatan_addition_create(
        actor=camat, forum=forum, title="Paving balai warga", location="Balai", volume=20,
        unit="", cost=None, sector=paving.sector, kamus=paving,
    )  # fmt: skip
    proposal = item.proposal
    assert proposal.cost == 3_000_000 and proposal.suggested_agency == paving.agency
    assert proposal.kamus == paving and proposal.sub_activity == paving.sub_activity


# --- The rekap import takes the kamus too ---


def test_rekap_import_uses_the_kamus_column(clerk, subdistrict, village, year, paving):
    from proposals.excel import COLUMNS, import_proposals

    def row(**values):
        return [values.get(c, "") for c in COLUMNS]

    rows = [
        row(**{"Kode Desa/Kelurahan": village.code, "Usulan Kegiatan": "Paving gang 1",
               "Lokasi": "RT 01", "Volume": 20, "Kamus Usulan": "paving blok jalan lingkungan"}),
        row(**{"Kode Desa/Kelurahan": village.code, "Usulan Kegiatan": "Paving gang 2",
               "Lokasi": "RT 02", "Volume": 10, "Satuan": "m2", "Perkiraan Biaya (Rp)": 1_600_000,
               "Bidang": paving.sector.name, "Kamus Usulan": "Paving Blok Jalan Lingkungan"}),
    ]  # fmt: skip
    result = import_proposals(
        actor=clerk, data=workbook(COLUMNS, rows), subdistrict=subdistrict, year=2027
    )
    assert result.ok, result.errors
    first = village.proposals.get(title="Paving gang 1")
    assert (first.cost, first.unit, first.kamus) == (3_000_000, "m2", paving)
    assert first.sector == paving.sector and first.suggested_agency == paving.agency
    assert first.sub_activity == paving.sub_activity and first.cost_note == ""
    second = village.proposals.get(title="Paving gang 2")
    assert second.kamus_difference == 100_000 and "rekap" in second.cost_note


def test_rekap_import_refuses_an_unknown_kamus_name(clerk, subdistrict, village, year, paving):
    from proposals.excel import COLUMNS, import_proposals

    values = {"Kode Desa/Kelurahan": village.code, "Usulan Kegiatan": "Sumur bor",
              "Lokasi": "RT 01", "Volume": 1, "Kamus Usulan": "Sumur bor dalam"}  # fmt: skip
    result = import_proposals(
        actor=clerk,
        data=workbook(COLUMNS, [[values.get(c, "") for c in COLUMNS]]),
        subdistrict=subdistrict,
        year=2027,
    )
    assert any(e.column == "Kamus Usulan" for e in result.errors)
    assert not village.proposals.exists()


# --- Admin pages: preview, then apply; the rollover page ---


def test_admin_kamus_import_previews_then_applies(client, bappeda, regency, master):
    bappeda.is_staff = True
    bappeda.save()
    client.force_login(bappeda, backend="musrenbang.auth.PlacesBackend")
    url = reverse("admin:musrenbang_kamusentry_import")
    upload = SimpleUploadedFile("kamus.xlsx", workbook(KAMUS_HEADER, [_kamus_row()]))
    page = client.post(url, {"file": upload, "year": 2027, "regency": regency.pk})
    text = page.content.decode()
    assert "Pratinjau: 1 baris akan diimpor" in text and "Paving Blok: m2 @ Rp 150.000" in text
    assert not KamusEntry.objects.exists()
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302
    assert KamusEntry.objects.get().name == "Paving Blok"


def test_admin_kamus_import_shows_row_errors_and_saves_nothing(client, bappeda, regency, master):
    bappeda.is_staff = True
    bappeda.save()
    client.force_login(bappeda, backend="musrenbang.auth.PlacesBackend")
    upload = SimpleUploadedFile("kamus.xlsx", workbook(KAMUS_HEADER, [_kamus_row(OPD="X")]))
    page = client.post(
        reverse("admin:musrenbang_kamusentry_import"),
        {"file": upload, "year": 2027, "regency": regency.pk},
    )
    assert "Kesalahan (1)" in page.content.decode()
    assert (
        client.post(reverse("admin:musrenbang_kamusentry_import"), {"confirm": "1"}).status_code
        == 302
    )
    assert not KamusEntry.objects.exists()


def test_admin_nomenclature_import_refuses_a_file_that_is_not_xlsx(client, bappeda):
    bappeda.is_staff = True
    bappeda.save()
    client.force_login(bappeda, backend="musrenbang.auth.PlacesBackend")
    upload = SimpleUploadedFile("daftar.xlsx", b"%PDF-1.4 not a workbook")
    page = client.post(
        reverse("admin:musrenbang_nomenclature_import"),
        {"file": upload, "instrument": "X", "year": 2026},
    )
    assert "bukan lembar kerja Excel" in page.content.decode()


def test_admin_rollover_page_lists_invalid_codes(client, bappeda, regency, paving):
    bappeda.is_staff = True
    bappeda.save()
    load_tree("Instrumen Uji 2/2028", 2028, TREE[:4])  # drops both sub kegiatan
    client.force_login(bappeda, backend="musrenbang.auth.PlacesBackend")
    page = client.post(
        reverse("admin:musrenbang_kamusentry_copy"),
        {"from_year": 2027, "to_year": 2028, "regency": regency.pk},
    )
    text = page.content.decode()
    assert "Kode sub kegiatan tidak berlaku lagi (1)" in text and "9.99.01.2.01.0001" in text


def test_kecamatan_staff_cannot_open_the_admin_import(as_user, clerk):
    response = as_user(clerk).get(reverse("admin:musrenbang_kamusentry_import"))
    assert response.status_code == 302 and "/admin/login/" in response.headers["Location"]


def test_carry_over_takes_the_same_kamus_entry_of_the_new_year(
    operator, regency, village, year, paving
):
    f.PlanningYearFactory(regency=regency, year=2028)
    rejected = f.ProposalFactory(
        village=village, kamus=paving, volume=10, cost=1_500_000, unit="m2",
        status="ditolak", village_rank=1,
    )  # fmt: skip
    newer = KamusEntry.objects.create(
        regency=regency, year=2028, name=paving.name, unit="m2", unit_price=160_000
    )
    [carried] = proposal_services.proposals_carry_over(actor=operator, village=village, year=2028)
    assert carried.carried_over_from == rejected
    assert carried.kamus == newer and carried.kamus_difference == -100_000
    assert carried.cost_note == "Biaya usulan tahun 2027."


def test_incoming_list_marks_direct_proposals(as_user, clerk, village, year, paving):
    f.ProposalFactory(village=village, status="diajukan", title="Tanpa kamus")
    f.ProposalFactory(village=village, status="diajukan", title="Dengan kamus", kamus=paving)
    text = as_user(clerk).get(reverse("proposals:incoming") + "?tahun=2027").content.decode()
    assert text.count(">usulan langsung</span>") == 1
