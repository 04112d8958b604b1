"""The SIPD bridge after the forum: worklist, ticks, export_sipd, sipd_reconcile and pages."""

from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from proposals.excel.sipd import sipd_import
from proposals.models import Proposal
from reports.models import SipdInput, SipdReconciliation
from reports.sipd import worklist
from scoring.models import Result
from sessions.models import Forum
from tests import factories as f
from tests.forums import send
from tests.sipd_workbooks import SET_2, workbook

pytestmark = pytest.mark.django_db


def _sipd_rows(count=5):
    return [
        {
            "ID Usulan": f"{1000 + i}",
            "Tgl Usul": "2026-01-11",
            "Usulan": f"Usulan SIPD {i}",
            "Permasalahan": "Masalah",
            "Alamat": "Dusun I",
            "Desa/Kelurahan": "Mekar" if i % 2 == 0 else "Sari",
            "SKPD Tujuan Akhir": "PUPR",
            "Volume": i + 1,
            "Satuan": "unit",
            "Anggaran": 1_000_000 * (i + 1),
        }
        for i in range(count)
    ]


@pytest.fixture
def sipd_forum(year, subdistrict, village, other_village, sector, agency, clerk):
    """Five proposals imported from SIPD (1000..1004) and one kecamatan addition, sent:
    1000, 1001 priority 1 and 2; 1002 reserve; 1003 rejected at intake; 1004 never in the
    forum; the addition is priority 3 and not in SIPD."""
    data = workbook(_sipd_rows(), header=SET_2, title_rows=2)
    assert sipd_import(actor=clerk, data=data, subdistrict=subdistrict, year=2027).ok
    p = list(Proposal.objects.order_by("sipd_key"))
    Proposal.objects.filter(pk__in=[p[0].pk, p[1].pk, p[2].pk]).update(status="terverifikasi")
    Proposal.objects.filter(pk=p[3].pk).update(status="ditolak", status_reason="Bukan kewenangan")
    Proposal.objects.filter(pk=p[0].pk).update(problem='=HYPERLINK("http://x")')
    addition = f.ProposalFactory(
        village=None, subdistrict=subdistrict, origin="kecamatan", status="terverifikasi",
        sector=sector, title="Tambahan kecamatan", volume=4, unit="titik", cost=8_000_000,
    )  # fmt: skip
    forum = f.ForumFactory(subdistrict=subdistrict, year=2027)
    plan = [(p[0], "prioritas", 1, ""), (p[1], "prioritas", 2, ""),
            (p[2], "cadangan", 4, "Melebihi pagu"), (addition, "prioritas", 3, "")]  # fmt: skip
    for proposal, decision, rank, reason in plan:
        item = f.ForumItemFactory(forum=forum, proposal=proposal)
        f.ResultFactory(item=item, rank=rank, decision=decision, reason=reason,
                        responsible_agency=agency)  # fmt: skip
    return send(forum)


def test_worklist_has_the_rekomendasi_kecamatan_in_sipd_shape(sipd_forum):
    work = worklist.worklist(sipd_forum)
    assert [r.key for r in work["keyed"]] == ["1000", "1001", "1002", "1003", "1004"]
    texts = [r.recommendation for r in work["keyed"]]
    assert texts == [
        "Disetujui, prioritas 1. Koefisien : 1 unit, Anggaran : 1000000",
        "Disetujui, prioritas 2. Koefisien : 2 unit, Anggaran : 2000000",
        "Cadangan: Melebihi pagu. Koefisien : 3 unit, Anggaran : 3000000",
        "Tidak disetujui: Bukan kewenangan",
        "Tidak dibahas",
    ]
    assert [r.proposal.title for r in work["new"]] == ["Tambahan kecamatan"]
    assert (work["done"], work["total"]) == (0, 6)


def _export(forum, tmp_path):
    path = tmp_path / "input.xlsx"
    call_command("export_sipd", "--kecamatan", forum.subdistrict.code, "--tahun", "2027",
                 "-o", str(path), stdout=StringIO())  # fmt: skip
    return load_workbook(path)


def test_export_sipd_writes_two_sheets_with_the_columns_escaped(sipd_forum, tmp_path):
    wb = _export(sipd_forum, tmp_path)
    assert wb.sheetnames == ["Usulan SIPD", "Belum ada di SIPD"]
    rows = list(wb["Usulan SIPD"].iter_rows(values_only=True))
    assert list(rows[0]) == [
        "Kunci SIPD", "Desa/Kelurahan", "Usulan", "Permasalahan", "Rekomendasi Kecamatan",
        "Koefisien", "Anggaran", "Prioritas", "OPD", "Alasan",
    ]  # fmt: skip
    assert rows[1][0] == "1000" and rows[1][3] == '\'=HYPERLINK("http://x")'
    assert rows[1][6] == 1_000_000 and rows[1][7] == 1
    new = list(wb["Belum ada di SIPD"].iter_rows(values_only=True))
    assert len(new) == 2 and new[1][2] == "Tambahan kecamatan"


def test_export_refused_before_sending(sipd_forum, tmp_path):
    # Deliberately faked: the same forum as if it had not been sent yet (no service un-sends).
    Forum.objects.filter(pk=sipd_forum.pk).update(state="berlangsung")
    with pytest.raises(CommandError, match="belum dikirim"):
        _export(sipd_forum, tmp_path)


def _sipd_export_from(wb, change=None) -> bytes:
    """A SIPD export (header set 2) carrying the texts of our workbook, optionally changed."""
    rows = []
    for values in list(wb["Usulan SIPD"].iter_rows(values_only=True))[1:]:
        row = {"ID Usulan": values[0], "Usulan": values[2], "Alamat": "Dusun I",
               "Desa/Kelurahan": values[1], "Rekomendasi Kecamatan": values[4]}  # fmt: skip
        rows.append(row)
    if change:
        rows = change(rows)
    return workbook(rows, header=SET_2, title_rows=4)


def _reconcile(forum, data, tmp_path):
    path = tmp_path / "sipd-setelah-input.xlsx"
    path.write_bytes(data)
    out = StringIO()
    try:
        call_command("sipd_reconcile", str(path), "--kecamatan", forum.subdistrict.code,
                     "--tahun", "2027", stdout=out, stderr=StringIO())  # fmt: skip
    except CommandError as error:
        return out.getvalue(), error.returncode
    return out.getvalue(), 0


def _forum_rows(forum):
    return (
        list(Result.objects.filter(item__forum=forum).order_by("pk").values()),
        list(Proposal.objects.filter(subdistrict=forum.subdistrict).order_by("pk").values()),
        list(Forum.objects.filter(pk=forum.pk).values()),
    )


def test_round_trip_export_then_sipd_export_reconciles_all_match(sipd_forum, tmp_path):
    before = _forum_rows(sipd_forum)
    out, code = _reconcile(sipd_forum, _sipd_export_from(_export(sipd_forum, tmp_path)), tmp_path)
    assert code == 0
    assert out.strip().splitlines()[-1] == (
        "cocok 5, selisih 0, tidak ada di SIPD 0, tidak ada di Musrenbang 0"
    )
    assert _forum_rows(sipd_forum) == before  # reconciling changes nothing in the forum
    record = SipdReconciliation.objects.get()
    assert record.matched == 5 and record.all_match and len(record.file_sha256) == 64


def test_changed_anggaran_decision_and_missing_rows_are_each_reported_once(sipd_forum, tmp_path):
    def change(rows):
        rows[0]["Rekomendasi Kecamatan"] = rows[0]["Rekomendasi Kecamatan"].replace(
            "1000000", "Rp 1.500.000"
        )
        rows[2]["Rekomendasi Kecamatan"] = "Disetujui. Koefisien : 3 unit, Anggaran : 3000000"
        del rows[4]
        rows.append({"ID Usulan": "7777", "Usulan": "Lain", "Alamat": "x",
                     "Rekomendasi Kecamatan": "Tidak dibahas"})  # fmt: skip
        return rows

    data = _sipd_export_from(_export(sipd_forum, tmp_path), change)
    out, code = _reconcile(sipd_forum, data, tmp_path)
    assert code == 1
    lines = out.strip().splitlines()
    assert lines[:-1] == [
        "SELISIH 1000: anggaran Musrenbang '1000000', SIPD '1500000'",
        "SELISIH 1002: keputusan Musrenbang 'Cadangan: Melebihi pagu', SIPD 'Disetujui'",
        "TIDAK ADA DI SIPD 1004: Tidak dibahas",
        "TIDAK ADA DI MUSRENBANG 7777: Tidak dibahas",
        "1 usulan belum ada di SIPD (tanpa kunci), tidak dibandingkan.",
    ]
    assert lines[-1] == "cocok 2, selisih 2, tidak ada di SIPD 1, tidak ada di Musrenbang 1"


def test_reconcile_of_a_file_that_is_not_a_workbook_records_nothing(sipd_forum, tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"bukan excel")
    with pytest.raises(CommandError, match="tidak dapat dibaca"):
        call_command("sipd_reconcile", str(path), "--kecamatan", sipd_forum.subdistrict.code,
                     "--tahun", "2027", stdout=StringIO(), stderr=StringIO())  # fmt: skip
    assert not SipdReconciliation.objects.exists()


# --- pages ---------------------------------------------------------------------------------


def test_worklist_page_for_kecamatan_and_bappeda_only(sipd_forum, as_user, clerk, bappeda,
                                                     other_clerk, operator, client):  # fmt: skip
    url = reverse("reports:sipd_worklist", args=[sipd_forum.pk])
    assert client.get(url).status_code == 302  # anonymous: login
    for user, status in [(clerk, 200), (bappeda, 200), (other_clerk, 403), (operator, 403)]:
        assert as_user(user).get(url).status_code == status
    html = as_user(clerk).get(url).content.decode()
    assert "0 dari 6 sudah diinput" in html
    assert 'data-copy="Disetujui, prioritas 1"' in html and "reports/sipd.js" in html
    assert "belum ada di SIPD" in html


def test_worklist_costs_constant_queries(sipd_forum, as_user, clerk,
                                         django_assert_max_num_queries):  # fmt: skip
    url = reverse("reports:sipd_worklist", args=[sipd_forum.pk])
    client = as_user(clerk)
    # session + user, forum, worklist, agencies, permission checks and the menu
    with django_assert_max_num_queries(12):
        client.get(url)
    rows = _sipd_rows(40)[5:]
    data = workbook(rows, header=SET_2, title_rows=0)
    # Deliberately faked: reopen the sent forum (and its year) for a bigger import, then back
    # to sent (a second sending would close the imported proposals the count is about).
    f.reopen(sipd_forum)
    assert sipd_import(actor=clerk, data=data, subdistrict=sipd_forum.subdistrict, year=2027).ok
    f.mark_sent(sipd_forum)
    with django_assert_max_num_queries(12):
        assert "0 dari 41" in client.get(url).content.decode()


def test_tick_records_who_and_when_and_counts_progress(sipd_forum, as_user, clerk, bappeda):
    proposal = Proposal.objects.get(sipd_key="1000")
    url = reverse("reports:sipd_mark", args=[sipd_forum.pk, proposal.pk])
    assert as_user(clerk).get(url).status_code == 405
    as_user(clerk).post(url, {"done": "1"})
    entry = SipdInput.objects.get()
    assert entry.done_by == clerk and entry.done_at is not None and entry.forum == sipd_forum
    page = as_user(clerk).get(reverse("reports:sipd_worklist", args=[sipd_forum.pk]))
    assert "1 dari 6 sudah diinput" in page.content.decode()
    overview = as_user(bappeda).get(
        reverse("reports:overview", args=[sipd_forum.subdistrict.regency.code])
    )
    assert "1 dari 6" in overview.content.decode()
    assert as_user(bappeda).post(url, {"done": "0"}).status_code == 403
    as_user(clerk).post(url, {"done": "0"})
    assert not SipdInput.objects.exists()


def test_tick_reads_its_form_and_refuses_a_bad_value(sipd_forum, as_user, clerk):
    proposal = Proposal.objects.get(sipd_key="1000")
    url = reverse("reports:sipd_mark", args=[sipd_forum.pk, proposal.pk])
    response = as_user(clerk).post(url, {"done": "ya"}, follow=True)
    assert "Pilih tandai sudah atau belum diinput." in response.content.decode()
    assert not SipdInput.objects.exists()


def test_tick_refused_before_sending_with_a_message(sipd_forum, as_user, clerk):
    # Deliberately faked: the same forum as if it had not been sent yet (no service un-sends).
    Forum.objects.filter(pk=sipd_forum.pk).update(state="berlangsung")
    proposal = Proposal.objects.get(sipd_key="1000")
    url = reverse("reports:sipd_mark", args=[sipd_forum.pk, proposal.pk])
    response = as_user(clerk).post(url, {"done": "1"}, follow=True)
    assert "belum dikirim" in response.content.decode()
    assert not SipdInput.objects.exists()


def test_worklist_filters_and_bad_values_are_ignored_with_a_message(sipd_forum, as_user, clerk,
                                                                   agency):  # fmt: skip
    url = reverse("reports:sipd_worklist", args=[sipd_forum.pk])
    SipdInput.objects.create(forum=sipd_forum, proposal=Proposal.objects.get(sipd_key="1000"),
                             done_by=clerk, done_at="2026-02-20T10:00:00+07:00")  # fmt: skip
    done = as_user(clerk).get(url, {"status": "sudah"}).content.decode()
    assert "Usulan SIPD 0" in done and "Usulan SIPD 1" not in done
    bad = as_user(clerk).get(url, {"status": "xx", "opd": "abc"})
    assert bad.status_code == 200
    html = bad.content.decode()
    assert "Nilai tidak valid untuk OPD, status diabaikan" in html
    by_agency = as_user(clerk).get(url, {"opd": agency.pk}).content.decode()
    assert "Usulan SIPD 1" in by_agency


def test_reconcile_page_records_and_offers_differences(sipd_forum, as_user, clerk, tmp_path,
                                                      bappeda):  # fmt: skip
    def change(rows):
        rows[1]["Rekomendasi Kecamatan"] = (
            "Disetujui, prioritas 2. Koefisien : 9 unit, Anggaran : 2000000"
        )
        return rows

    data = _sipd_export_from(_export(sipd_forum, tmp_path), change)
    url = reverse("reports:sipd_reconcile", args=[sipd_forum.pk])
    upload = BytesIO(data)
    upload.name = "ekspor-sipd.xlsx"
    assert as_user(bappeda).post(url, {"file": upload}).status_code == 403  # Bappeda only reads
    assert not SipdReconciliation.objects.exists()
    upload.seek(0)
    html = as_user(clerk).post(url, {"file": upload}).content.decode()
    assert "Cocok 4, selisih 1" in html
    record = SipdReconciliation.objects.get()
    assert record.created_by == clerk and record.file_name == "ekspor-sipd.xlsx"
    download = as_user(clerk).get(
        reverse("reports:sipd_reconcile_download", args=[sipd_forum.pk, record.pk])
    )
    rows = list(load_workbook(BytesIO(download.content)).active.iter_rows(values_only=True))
    assert rows[1] == ("Selisih", "1001", "koefisien", "2 unit", "9 unit")
    documents = as_user(clerk).get(reverse("reports:forum", args=[sipd_forum.pk]))
    assert "ekspor-sipd.xlsx" in documents.content.decode()
