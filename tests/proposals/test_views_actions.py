"""Action views: happy paths, wrong state messages, side effects."""

import pytest
from django.urls import reverse

from proposals.models import Proposal, Status, Transition

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_operator_creates_a_draft(as_user, operator, year, sector, agency):
    response = as_user(operator).post(
        reverse("proposals:create"),
        {
            "title": "Perbaikan jalan",
            "problem": "Rusak",
            "location": "RT 02",
            "volume": "100",
            "unit": "meter",
            "cost": "50000000",
            "sector": sector.pk,
            "suggested_agency": agency.pk,
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response.url == proposal.get_absolute_url()
    assert proposal.village == operator.village and proposal.status == Status.DRAFT


def test_kecamatan_creates_for_a_desa(as_user, clerk, year, sector, other_village):
    as_user(clerk).post(
        reverse("proposals:create"),
        {"village": other_village.pk, "title": "Posyandu", "location": "RW 1", "volume": "1",
         "unit": "unit", "cost": "1000", "sector": sector.pk},
    )  # fmt: skip
    assert Proposal.objects.get().village == other_village


def test_operator_edits_a_draft(as_user, operator, make_proposal, sector):
    proposal = make_proposal()
    response = as_user(operator).post(
        reverse("proposals:edit", args=[proposal.pk]),
        {"title": "Judul baru", "location": "RT 9", "volume": "5", "unit": "unit",
         "cost": "1000", "sector": sector.pk},
    )  # fmt: skip
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Judul baru"


def test_editing_a_submitted_proposal_shows_a_message(as_user, operator, make_proposal, sector):
    proposal = make_proposal(status=Status.SUBMITTED, title="Lama")
    response = as_user(operator).post(
        reverse("proposals:edit", args=[proposal.pk]),
        {"title": "Baru", "location": "RT 9", "volume": "5", "unit": "unit", "cost": "1000",
         "sector": sector.pk},
    )  # fmt: skip
    assert response.status_code == 200
    assert any("tidak dapat diubah" in m for m in _messages(response))
    proposal.refresh_from_db()
    assert proposal.title == "Lama"


def test_submit_then_receive_then_verify(as_user, operator, clerk, make_proposal):
    proposal = make_proposal()
    as_user(operator).post(reverse("proposals:submit", args=[proposal.pk]))
    client = as_user(clerk)
    client.post(
        reverse("proposals:receive", args=[proposal.pk]),
        {"register_number": "", "disposition_note": "Camat ke Kasi Ekbang"},
    )
    response = client.post(reverse("proposals:verify", args=[proposal.pk]), follow=True)
    assert "terverifikasi" in " ".join(_messages(response))
    proposal.refresh_from_db()
    assert proposal.status == Status.VERIFIED
    assert proposal.disposition_note == "Camat ke Kasi Ekbang"
    assert list(proposal.transitions.values_list("to_status", flat=True)) == [
        Status.SUBMITTED, Status.RECEIVED, Status.VERIFIED,
    ]  # fmt: skip


def test_return_without_reason_shows_message_and_changes_nothing(as_user, clerk, make_proposal):
    proposal = make_proposal(status=Status.RECEIVED)
    response = as_user(clerk).post(
        reverse("proposals:return", args=[proposal.pk]), {"reason": ""}, follow=True
    )
    assert "Alasan wajib diisi." in _messages(response)
    proposal.refresh_from_db()
    assert proposal.status == Status.RECEIVED
    assert not Transition.objects.exists()


def test_reject_with_category(as_user, clerk, make_proposal):
    proposal = make_proposal(status=Status.RECEIVED)
    as_user(clerk).post(
        reverse("proposals:reject", args=[proposal.pk]),
        {"reason": "Kewenangan provinsi", "category": "kewenangan"},
    )
    proposal.refresh_from_db()
    assert proposal.status == Status.REJECTED and proposal.rejection_category == "kewenangan"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "Di luar kewenangan", "category": "bukan"}, "Pilih kategori penolakan."),
        ({"reason": "", "category": "kewenangan"}, "Alasan wajib diisi."),
    ],
)
def test_reject_reads_its_form_and_refuses_bad_input(as_user, clerk, make_proposal, data, message):
    proposal = make_proposal(status=Status.RECEIVED)
    response = as_user(clerk).post(
        reverse("proposals:reject", args=[proposal.pk]), data, follow=True
    )
    assert message in _messages(response)
    proposal.refresh_from_db()
    assert proposal.status == Status.RECEIVED and not Transition.objects.exists()


def test_receive_refuses_a_register_number_longer_than_its_form_allows(
    as_user, clerk, make_proposal
):
    proposal = make_proposal(status=Status.SUBMITTED)
    response = as_user(clerk).post(
        reverse("proposals:receive", args=[proposal.pk]),
        {"register_number": "9" * 41},
        follow=True,
    )
    assert any("40" in m for m in _messages(response))
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED


def test_verifying_a_draft_shows_a_message(as_user, clerk, make_proposal):
    proposal = make_proposal(status=Status.SUBMITTED)
    response = as_user(clerk).post(reverse("proposals:verify", args=[proposal.pk]), follow=True)
    assert any("tidak dapat diubah menjadi" in m for m in _messages(response))
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED


def test_submit_all_view(as_user, operator, make_proposal):
    make_proposal()
    make_proposal()
    response = as_user(operator).post(reverse("proposals:submit_all"), {"tahun": 2027}, follow=True)
    assert "2 usulan diajukan ke kecamatan." in _messages(response)
    assert set(Proposal.objects.values_list("status", flat=True)) == {Status.SUBMITTED}


def test_move_view_changes_rank(as_user, operator, make_proposal):
    a, b = make_proposal(village_rank=1), make_proposal(village_rank=2)
    as_user(operator).post(reverse("proposals:move", args=[b.pk, "naik"]))
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.village_rank, b.village_rank) == (2, 1)


def test_bulk_view_all_or_nothing(as_user, clerk, make_proposal):
    good = make_proposal(status=Status.SUBMITTED)
    bad = make_proposal(status=Status.VERIFIED)
    response = as_user(clerk).post(
        reverse("proposals:bulk"), {"action": "terima", "ids": [good.pk, bad.pk]}, follow=True
    )
    assert any("Tidak ada usulan yang diubah" in m for m in _messages(response))
    good.refresh_from_db()
    assert good.status == Status.SUBMITTED
    response = as_user(clerk).post(
        reverse("proposals:bulk"), {"action": "terima", "ids": [good.pk]}, follow=True
    )
    assert "1 usulan berhasil diterima." in _messages(response)


def test_receipt_shows_reference_and_tracking_code(as_user, operator, make_proposal):
    proposal = make_proposal(status=Status.SUBMITTED)
    response = as_user(operator).get(reverse("proposals:receipt", args=[proposal.pk]))
    html = response.content.decode()
    assert proposal.reference in html and proposal.tracking_code in html
    assert "<svg" in html and f"/lacak/{proposal.tracking_code}/" in html  # QR of the tracking URL


def test_receipt_of_a_draft_redirects_with_message(as_user, operator, make_proposal):
    proposal = make_proposal()
    response = as_user(operator).get(reverse("proposals:receipt", args=[proposal.pk]), follow=True)
    assert "Tanda terima tersedia setelah usulan diajukan." in _messages(response)


def test_duplicates_are_flagged_on_the_incoming_list(as_user, clerk, make_proposal):
    make_proposal(
        status=Status.SUBMITTED, title="Pembangunan jalan lingkungan", location="RT 01 RW 02"
    )
    make_proposal(
        status=Status.SUBMITTED, title="Pembangunan Jalan Lingkungan.", location="Rt 1 / Rw 2"
    )
    make_proposal(status=Status.SUBMITTED, title="Posyandu balita", location="RW 05")
    html = as_user(clerk).get(reverse("proposals:incoming")).content.decode()
    assert html.count("kemungkinan duplikat</span>") == 2


def test_incoming_filters_and_search(as_user, clerk, make_proposal, other_village):
    make_proposal(status=Status.SUBMITTED, title="Drainase Mawar")
    make_proposal(status=Status.VERIFIED, title="Jalan Melati", village=other_village)
    make_proposal(status=Status.DRAFT, title="Draf desa tersembunyi")
    client = as_user(clerk)
    html = client.get(reverse("proposals:incoming")).content.decode()
    assert "Drainase Mawar" in html and "Jalan Melati" in html and "tersembunyi" not in html
    html = client.get(reverse("proposals:incoming"), {"q": "mawar"}).content.decode()
    assert "Drainase Mawar" in html and "Jalan Melati" not in html
    html = client.get(reverse("proposals:incoming"), {"status": "terverifikasi"}).content.decode()
    assert "Jalan Melati" in html and "Drainase Mawar" not in html
    html = client.get(reverse("proposals:incoming"), {"desa": other_village.pk}).content.decode()
    assert "Jalan Melati" in html and "Drainase Mawar" not in html


def test_export_view_uses_the_current_filter(as_user, clerk, make_proposal):
    from io import BytesIO

    from openpyxl import load_workbook

    make_proposal(status=Status.SUBMITTED, title="Drainase Mawar")
    make_proposal(status=Status.VERIFIED, title="Jalan Melati")
    response = as_user(clerk).get(reverse("proposals:export"), {"status": "terverifikasi"})
    ws = load_workbook(BytesIO(response.content)).active
    titles = [row[3] for row in ws.iter_rows(min_row=4, values_only=True)]
    assert titles == ["Jalan Melati"]


def test_rekap_totals_per_desa_and_bidang(as_user, clerk, make_proposal):
    make_proposal(status=Status.SUBMITTED, cost=1_000_000)
    make_proposal(status=Status.VERIFIED, cost=2_000_000)
    make_proposal(status=Status.REJECTED, cost=5_000_000)
    response = as_user(clerk).get(reverse("proposals:rekap"))
    assert response.context["data"]["total"] == {"n": 2, "cost": 3_000_000}
    assert "Rp 3.000.000" in response.content.decode()


def test_import_page_shows_errors_and_offers_the_file(as_user, clerk, year, village, sector):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.proposals.test_excel import _row, workbook

    data = workbook([_row(village, Volume=0)])
    client = as_user(clerk)
    response = client.post(
        reverse("proposals:import"), {"file": SimpleUploadedFile("u.xlsx", data)}
    )
    html = response.content.decode()
    assert "tidak ada usulan yang diimpor" in html and "Harus lebih dari 0." in html
    download = client.get(reverse("proposals:import_errors"))
    assert download.status_code == 200
    assert not Proposal.objects.exists()


def test_import_page_imports_a_good_file(as_user, clerk, year, village, sector, agency):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.proposals.test_excel import _row, workbook

    response = as_user(clerk).post(
        reverse("proposals:import"),
        {"file": SimpleUploadedFile("u.xlsx", workbook([_row(village)]))},
        follow=True,
    )
    assert "1 usulan diimpor." in _messages(response)
    assert Proposal.objects.get().received_by == clerk


def test_carry_over_view(as_user, operator, village, sector, year):
    from tests import factories as f

    f.ProposalFactory(village=village, year=2026, status=Status.REJECTED, sector=sector)
    response = as_user(operator).post(reverse("proposals:carry_over"), {"tahun": 2027}, follow=True)
    assert "1 usulan tahun 2026 dilanjutkan sebagai draf." in _messages(response)
    assert Proposal.objects.filter(year=2027, status=Status.DRAFT).count() == 1


def test_operator_after_deadline_sees_message_and_kecamatan_may_add(
    as_user, operator, clerk, village, year, sector
):
    import datetime as dt

    from django.utils import timezone

    year.submission_deadline = timezone.now() - dt.timedelta(days=1)
    year.save()
    form = {"title": "Jalan", "location": "RT 1", "volume": "1", "unit": "m", "cost": "1",
            "sector": sector.pk}  # fmt: skip
    response = as_user(operator).post(reverse("proposals:create"), form)
    assert any("Batas waktu" in m for m in _messages(response))
    assert not Proposal.objects.exists()
    as_user(clerk).post(reverse("proposals:create"), {**form, "village": village.pk})
    assert Proposal.objects.get().created_by == clerk


def test_kecamatan_edit_form_records_agreed_figures(as_user, clerk, make_proposal, sector):
    proposal = make_proposal(status=Status.RECEIVED, volume=100, cost=9_000_000)
    as_user(clerk).post(
        reverse("proposals:edit", args=[proposal.pk]),
        {"title": proposal.title, "location": proposal.location, "volume": "100",
         "unit": "meter", "cost": "9000000", "sector": sector.pk, "agreed_volume": "80",
         "agreed_cost": "7000000"},
    )  # fmt: skip
    proposal.refresh_from_db()
    assert (proposal.cost, proposal.agreed_cost) == (9_000_000, 7_000_000)


def test_actions_on_a_sent_forum_show_the_lock_message(as_user, clerk, make_proposal, subdistrict):
    from sessions.models import Forum
    from tests import factories as f

    proposal = make_proposal(status=Status.RECEIVED)
    # Deliberately faked: a sent forum beside a proposal still in its status (sending through
    # the services would close the undiscussed proposal, and the lock is what is tested).
    f.ForumFactory(subdistrict=subdistrict, year=2027, state=Forum.State.SENT)
    response = as_user(clerk).post(reverse("proposals:verify", args=[proposal.pk]), follow=True)
    assert "Forum sudah dikirim ke OPD; data tidak dapat diubah lagi." in _messages(response)
    proposal.refresh_from_db()
    assert proposal.status == Status.RECEIVED
    assert not Transition.objects.exists()
