"""Follow-up pages: the petugas OPD grid, lists, the worklist round trip, and the public pages."""

import csv
import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reports.followup.services import followup_move, milestone_add
from reports.models import FollowUp, FollowUpMove, Stage
from tests import factories as f
from tests.reports.followup_factories import jpeg, open_forum, petugas
from tests.reports.job_helpers import body, fetch_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(subdistrict, village, other_village, year, agency):
    return open_forum(subdistrict, [village, other_village])


@pytest.fixture
def people(opened, agency, regency, camat, clerk, other_clerk, bappeda, operator):
    other_agency = f.AgencyFactory(regency=regency, abbreviation="Dinkes")
    return {
        "petugas": petugas(agency),
        "petugas_lain": petugas(other_agency, "petugas_lain"),
        "camat": camat,
        "staf": clerk,
        "staf_lain": other_clerk,
        "bappeda": bappeda,
        "operator": operator,
    }


def _set(fu, stage, agency):
    extra = {"reason_category": "pagu"} if stage == Stage.NOT_FUNDED else {}
    FollowUp.objects.filter(pk=fu.pk).update(stage=stage, agency=agency, **extra)
    fu.refresh_from_db()
    return fu


AGENCY_STAGES = [s for s in Stage.values if s != Stage.KECAMATAN]


@pytest.mark.parametrize("stage", AGENCY_STAGES)
@pytest.mark.parametrize(
    "role", ["petugas", "petugas_lain", "camat", "staf", "staf_lain", "bappeda", "operator"]
)
def test_only_the_petugas_of_the_agency_updates_an_open_agency_follow_up(
    people, opened, agency, role, stage
):
    fu = _set(opened[1][0], stage, agency)
    may = people[role].has_perm("reports.update_followup", fu)
    assert may == (role == "petugas" and stage not in (Stage.DONE, Stage.NOT_FUNDED))


@pytest.mark.parametrize("stage", [Stage.KECAMATAN, Stage.NOT_FUNDED])
@pytest.mark.parametrize(
    "role", ["petugas", "petugas_lain", "camat", "staf", "staf_lain", "bappeda", "operator"]
)
def test_only_the_kecamatan_updates_its_reserves(people, opened, role, stage):
    data, follow_ups = opened
    fu = _set(next(x for x in follow_ups if x.agency_id is None), stage, None)
    may = people[role].has_perm("reports.update_followup", fu)
    assert may == (role in ("camat", "staf") and stage == Stage.KECAMATAN)


@pytest.mark.parametrize(
    "role,status",
    [("petugas", 302), ("petugas_lain", 403), ("camat", 403), ("bappeda", 403), ("operator", 403)],
)
def test_move_page_refuses_everybody_but_the_owner(people, opened, as_user, role, status):
    fu = opened[1][0]
    response = as_user(people[role]).post(
        reverse("reports:followup_move", args=[fu.pk]),
        {"to": "renja", "date": timezone.localdate().isoformat()},
    )
    assert response.status_code == status
    fu.refresh_from_db()
    assert fu.stage == (Stage.RENJA if status == 302 else Stage.RECEIVED)


def test_move_page_get_is_not_allowed(people, opened, as_user):
    response = as_user(people["petugas"]).get(
        reverse("reports:followup_move", args=[opened[1][0].pk])
    )
    assert response.status_code == 405


def test_a_wrong_move_is_refused_with_a_message_and_no_change(people, opened, as_user):
    fu = opened[1][0]
    client = as_user(people["petugas"])
    response = client.post(
        reverse("reports:followup_move", args=[fu.pk]),
        {"to": "dpa", "date": timezone.localdate().isoformat()},
        follow=True,
    )
    assert "tahun anggaran" in response.content.decode()
    fu.refresh_from_db()
    assert fu.stage == Stage.RECEIVED and fu.moves.count() == 1


def test_agency_page_lists_stale_first_and_ignores_a_bad_filter(people, opened, as_user, agency):
    data, follow_ups = opened
    old = follow_ups[2]
    FollowUp.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(days=90))
    client = as_user(people["petugas"])
    response = client.get(
        reverse("reports:followup_agency", args=[agency.pk]), {"tahap": "ngawur", "tahun": "x'"}
    )
    assert response.status_code == 200
    page = list(response.context["page"])
    assert page[0].pk == old.pk and page[0].is_stale
    text = response.content.decode()
    assert "Nilai tidak valid untuk tahap, tahun diabaikan" in text
    assert "lebih dari 60 hari" in text


def test_agency_page_of_another_agency_is_refused(people, opened, as_user, agency):
    response = as_user(people["petugas_lain"]).get(
        reverse("reports:followup_agency", args=[agency.pk])
    )
    assert response.status_code == 403


def _many(subdistrict, agency, n):
    for index in range(n):
        proposal = f.ProposalFactory(
            village=f.VillageFactory(subdistrict=subdistrict), status="terverifikasi"
        )
        FollowUp.objects.create(
            proposal=proposal, forum_id=FollowUp.objects.first().forum_id,
            subdistrict=subdistrict, agency=agency, stage=Stage.RECEIVED,
            updated_at=timezone.now() - dt.timedelta(days=index),
        )  # fmt: skip


@pytest.mark.parametrize("n", [5, 50])
def test_agency_page_costs_constant_queries(
    people, opened, as_user, agency, subdistrict, n, django_assert_max_num_queries
):
    _many(subdistrict, agency, n)
    client = as_user(people["petugas"])
    # session, user, agency, subdistricts, count, page, stage counts, + middleware/menu
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reports:followup_agency", args=[agency.pk])).status_code == 200


# --- the Excel worklist -----------------------------------------------------------------


def _worklist(client, agency):
    response = client.get(reverse("reports:followup_worklist", args=[agency.pk]))
    return load_workbook(io.BytesIO(response.content))


def _upload(client, agency, wb):
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "lembar.xlsx"
    return client.post(
        reverse("reports:followup_worklist_upload", args=[agency.pk]), {"file": buffer}
    )


def test_worklist_round_trip_updates_every_row(people, opened, as_user, agency):
    client = as_user(people["petugas"])
    wb = _worklist(client, agency)
    ws = wb.active
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) + 1 for name in header}
    assert ws.max_row == 1 + 3  # the three priorities of PUPR
    ws.cell(2, col["Tahap Baru"], "Masuk DPA")
    ws.cell(2, col["Tahun Anggaran"], 2027)
    ws.cell(2, col["Nilai DPA (Rp)"], "Rp 125.000.000")
    ws.cell(3, col["Tahap Baru"], "Tidak didanai")
    ws.cell(3, col["Kategori Alasan"], "Pagu tidak cukup")
    ws.cell(3, col["Alasan"], "Pagu Dinas habis untuk jalan provinsi.")
    response = _upload(client, agency, wb)
    assert response.status_code == 302
    ids = [ws.cell(r, 1).value for r in (2, 3, 4)]
    stages = dict(FollowUp.objects.filter(pk__in=ids).values_list("pk", "stage"))
    assert [stages[i] for i in ids] == [Stage.DPA, Stage.NOT_FUNDED, Stage.RECEIVED]
    assert FollowUp.objects.get(pk=ids[0]).budget_amount == 125_000_000


def test_worklist_with_bad_rows_changes_nothing_and_names_each_row(people, opened, as_user, agency):
    client = as_user(people["petugas"])
    wb = _worklist(client, agency)
    ws = wb.active
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) + 1 for name in header}
    ws.cell(2, col["Tahap Baru"], "Masuk Renja OPD")  # good
    ws.cell(3, col["Tahap Baru"], "Masuk DPA")  # no budget: the service refuses
    ws.cell(4, col["Tahap Baru"], "Dibangun sendiri")  # unknown stage
    ws.cell(4, col["Tanggal"], "=NOW()")  # a formula
    ws.append([99999, "X", "Bukan milik PUPR", "", "", "", "Selesai"])  # foreign id
    before = FollowUpMove.objects.count()
    response = _upload(client, agency, wb)
    assert response.status_code == 400
    errors = {(e.row, e.column) for e in response.context["result"].errors}
    assert {(3, "Tahap Baru"), (4, "Tahap Baru"), (4, "Tanggal"), (5, "ID")} <= errors
    assert FollowUpMove.objects.count() == before
    assert not FollowUp.objects.filter(stage=Stage.RENJA).exists()
    annotated = client.get(reverse("reports:followup_worklist_errors", args=[agency.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(annotated.streaming_content))).active
    assert sheet.cell(1, sheet.max_column).value == "Kesalahan"


def test_worklist_upload_by_bappeda_is_refused(people, opened, as_user, agency):
    wb = _worklist(as_user(people["bappeda"]), agency)
    response = _upload(as_user(people["bappeda"]), agency, wb)
    assert response.status_code == 403


def test_worklist_escapes_formulas_in_titles(people, opened, as_user, agency):
    fu = opened[1][0]
    type(fu.proposal).objects.filter(pk=fu.proposal_id).update(title="=HYPERLINK(1)")
    ws = _worklist(as_user(people["petugas"]), agency).active
    titles = [ws.cell(r, 3).value for r in range(2, ws.max_row + 1)]
    assert "'=HYPERLINK(1)" in titles


# --- public pages -------------------------------------------------------------------------


def _walk_to_done(fu, actor):
    followup_move(actor=actor, follow_up=fu, to=Stage.DPA, budget_year=2027,
                  budget_amount=90_000_000)  # fmt: skip
    followup_move(actor=actor, follow_up=fu, to=Stage.RUNNING, progress=50)
    milestone_add(actor=actor, follow_up=fu, date=timezone.localdate(), title="Pengecoran",
                  progress=50, photos=[jpeg()])  # fmt: skip
    milestone_add(actor=actor, follow_up=fu, date=timezone.localdate(), title="Rapat internal",
                  public=False)  # fmt: skip
    return followup_move(actor=actor, follow_up=fu, to=Stage.DONE)


def test_tracking_page_shows_the_whole_path_without_personal_data(people, opened, client):
    fu = _walk_to_done(opened[1][0], people["petugas"])
    response = client.get(reverse("proposals:track", args=[fu.proposal.tracking_code]))
    text = response.content.decode()
    for expected in ["Masuk DPA", "Rp 90.000.000", "Dalam pelaksanaan", "Selesai", "Pengecoran",
                     "diambil di 3.75000, 98.45000 pada"]:  # fmt: skip
        assert expected in text
    assert "Rapat internal" not in text
    assert people["petugas"].username not in text and str(people["petugas"]) not in text


def test_tracking_page_shows_why_it_was_not_funded(people, opened, client):
    fu = followup_move(actor=people["petugas"], follow_up=opened[1][0], to=Stage.NOT_FUNDED,
                       reason_category="teknis", reason_text="Lahan rawan longsor.")  # fmt: skip
    text = client.get(reverse("proposals:track", args=[fu.proposal.tracking_code])).content
    assert "Tidak layak teknis" in text.decode() and "Lahan rawan longsor." in text.decode()


def test_private_milestone_files_are_not_public(people, opened, client):
    fu = opened[1][0]
    milestone = milestone_add(actor=people["petugas"], follow_up=fu, date=timezone.localdate(),
                              title="Internal", public=False, photos=[jpeg()])  # fmt: skip
    url = reverse("reports:milestone_file", args=[milestone.files.get().pk])
    assert client.get(url).status_code == 404
    client.force_login(people["petugas_lain"], backend="musrenbang.auth.PlacesBackend")
    assert client.get(url).status_code == 403


def test_report_card_numbers_equal_the_underlying_counts(people, opened, client, subdistrict,
                                                          village):  # fmt: skip
    data, follow_ups = opened
    pupr = [fu for fu in follow_ups if fu.agency_id]
    _walk_to_done(pupr[0], people["petugas"])
    followup_move(actor=people["petugas"], follow_up=pupr[1], to=Stage.NOT_FUNDED,
                  reason_category="pagu", reason_text="Pagu habis.")  # fmt: skip
    f.ProposalFactory(village=village, status="draft")  # drafts are not "submitted"
    url = reverse("reports:report_card_json", args=[subdistrict.code, data.forum.year])
    body = json.loads(client.get(url).content)
    assert body["lisensi"] == "CC BY 4.0"
    rows = {r["kode"]: r for r in body["desa_kelurahan"]}
    from proposals.models import Proposal

    for code, row in rows.items():
        qs = Proposal.objects.filter(village__code=code, year=data.forum.year).exclude(
            status="draft"
        )
        assert row["usulan_diajukan"] == qs.count()
        assert row["prioritas"] == qs.filter(forum_item__result__decision="prioritas").count()
        assert row["selesai"] == qs.filter(follow_up__stage="selesai").count()
        funded = qs.filter(follow_up__stage__in=["dpa", "pelaksanaan", "selesai"])
        assert row["didanai_dpa"] == funded.count()
        assert row["tidak_didanai"] == qs.filter(follow_up__stage="tidak_didanai").count()
    assert sum(r["selesai"] for r in rows.values()) == 1
    assert sum(r["tidak_didanai_per_alasan"]["Pagu tidak cukup"] for r in rows.values()) == 1
    women = data.forum.participants.filter(present_at__isnull=False, gender="P").count()
    assert body["kehadiran_per_jenis_kelamin"]["perempuan"] == women
    total = sum(r.item.proposal.effective_cost for r in data.priority)
    assert sum(b["biaya_rp"] for b in body["anggaran_prioritas_per_bidang"]) == total


def test_report_card_page_has_svg_charts_with_tables_and_no_personal_data(opened, client,
                                                                         subdistrict):  # fmt: skip
    data, _ = opened
    response = client.get(reverse("reports:report_card", args=[subdistrict.code, 2027]))
    text = response.content.decode()
    assert response.status_code == 200
    assert text.count("<svg") == 4 and text.count("<caption") >= 4
    assert "CC BY 4.0" in text
    for participant in data.participants:
        assert participant.name not in text


def test_report_card_csv_has_a_licence_line_and_one_row_per_desa(opened, client, subdistrict):
    response = client.get(reverse("reports:report_card_csv", args=[subdistrict.code, 2027]))
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0][0].startswith("# Lisensi: CC BY 4.0")
    assert lines[1][:3] == ["kode", "desa_kelurahan", "usulan_diajukan"]
    assert len(lines) == 2 + subdistrict.villages.count()


def test_report_card_of_a_forum_not_sent_is_not_found(client, subdistrict, year):
    f.ForumFactory(subdistrict=subdistrict, year=2027)
    assert (
        client.get(reverse("reports:report_card", args=[subdistrict.code, 2027])).status_code == 404
    )


def _more_villages(subdistrict, n, year):
    for _ in range(n):
        village = f.VillageFactory(subdistrict=subdistrict)
        f.ProposalFactory(village=village, status="terverifikasi", year=year)


@pytest.mark.parametrize("n", [2, 30])
@pytest.mark.parametrize("name", ["reports:report_card", "reports:report_card_json"])
def test_public_pages_cost_constant_queries(opened, client, subdistrict, n, name,
                                            django_assert_max_num_queries):  # fmt: skip
    _more_villages(subdistrict, n, 2027)
    # subdistrict, forum, proposals aggregate, villages, sectors, participation
    with django_assert_max_num_queries(7):
        assert client.get(reverse(name, args=[subdistrict.code, 2027])).status_code == 200


@pytest.mark.parametrize("n", [1, 4])
def test_tracking_page_costs_constant_queries(people, opened, client, n,
                                              django_assert_max_num_queries):  # fmt: skip
    fu = opened[1][0]
    for index in range(n):
        milestone_add(actor=people["petugas"], follow_up=fu, date=timezone.localdate(),
                      title=f"Capaian {index}", photos=[jpeg()])  # fmt: skip
    with django_assert_max_num_queries(10):
        client.get(reverse("proposals:track", args=[fu.proposal.tracking_code]))


def test_forum_page_shows_last_years_report(people, opened, as_user, subdistrict, camat):
    data, follow_ups = opened
    _walk_to_done(next(fu for fu in follow_ups if fu.agency_id), people["petugas"])
    next_forum = f.ForumFactory(subdistrict=subdistrict, year=2028)
    text = as_user(camat).get(reverse("forum:detail", args=[next_forum.pk])).content.decode()
    assert "Rapor tahun lalu (2027)" in text
    projector = as_user(camat).get(reverse("forum:projector", args=[next_forum.pk]))
    assert "Rapor tahun lalu (2027)" in projector.content.decode()


def test_overview_shows_follow_up_progress_and_exports_it(people, opened, as_user, regency,
                                                           bappeda):  # fmt: skip
    data, follow_ups = opened
    pupr = [fu for fu in follow_ups if fu.agency_id]
    _walk_to_done(pupr[0], people["petugas"])
    FollowUp.objects.filter(pk=pupr[1].pk).update(updated_at=timezone.now() - dt.timedelta(days=61))
    client = as_user(bappeda)
    response = client.get(reverse("reports:overview", args=[regency.code]), {"tahun": 2027})
    progress = response.context["data"]["followups"]
    row = next(r for r in progress["per_agency"] if r["name"] == pupr[0].agency.name)
    assert (row["total"], row["funded"], row["done"], row["stale"]) == (3, 1, 1, 1)
    assert "Kemajuan tindak lanjut" in response.content.decode()
    export = fetch_document(
        client, reverse("reports:overview_export", args=[regency.code]) + "?tahun=2027"
    )
    wb = load_workbook(io.BytesIO(body(export)))
    sheet = wb["Tindak lanjut per OPD"]
    values = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert [pupr[0].agency.name, 3, 1, 1, 0, 33.3, 33.3, 1] in values
    assert "Tindak lanjut per kecamatan" in wb.sheetnames


def test_carry_over_offers_not_funded_proposals_with_their_reason(
    people, opened, as_user, operator, village, regency
):
    from proposals.services import carry_over_candidates, proposals_carry_over

    data, follow_ups = opened
    f.PlanningYearFactory(regency=regency, year=2028)
    mine = [fu for fu in follow_ups if fu.proposal.village_id == village.pk]
    pupr = next(fu for fu in mine if fu.agency_id)
    followup_move(actor=people["petugas"], follow_up=pupr, to=Stage.NOT_FUNDED,
                  reason_category="ditunda", reason_text="Menunggu jembatan selesai.")  # fmt: skip
    reserve = next(fu for fu in mine if fu.agency_id is None)
    followup_move(
        actor=people["camat"], follow_up=reserve, to=Stage.TRANSFERRED, agency=pupr.agency
    )  # fmt: skip  (an OPD took the reserve up)
    offered = {p.pk for p in carry_over_candidates(village=village, year=2028)}
    assert pupr.proposal_id in offered and reserve.proposal_id not in offered
    page = as_user(operator).get(reverse("proposals:village_list"), {"tahun": 2028})
    text = page.content.decode()
    assert "Ditunda ke tahun berikut: Menunggu jembatan selesai." in text
    created = proposals_carry_over(actor=operator, village=village, year=2028)
    assert pupr.proposal_id in {p.carried_over_from_id for p in created}


def test_tracking_poll_answers_200_again_after_a_follow_up_move_or_milestone(
    people, opened, client
):
    fu = opened[1][0]
    url = reverse("proposals:track", args=[fu.proposal.tracking_code])
    tag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 304
    followup_move(actor=people["petugas"], follow_up=fu, to=Stage.RENJA)
    moved = client.get(url, HTTP_IF_NONE_MATCH=tag)
    assert moved.status_code == 200 and "Masuk Renja OPD" in moved.content.decode()
    tag = moved["ETag"]
    milestone_add(actor=people["petugas"], follow_up=fu, date=timezone.localdate(),
                  title="Survei lokasi selesai", progress=0)  # fmt: skip
    shown = client.get(url, HTTP_IF_NONE_MATCH=tag)
    assert shown.status_code == 200 and "Survei lokasi selesai" in shown.content.decode()


def test_forum_page_cache_never_hides_a_change_in_last_years_report(
    people, opened, as_user, subdistrict, camat
):
    data, follow_ups = opened
    next_forum = f.ForumFactory(subdistrict=subdistrict, year=2028)
    url = reverse("forum:detail", args=[next_forum.pk])
    client = as_user(camat)

    def report() -> str:
        html = client.get(url).content.decode()
        start = html.index("Rapor tahun lalu (2027)")
        return html[start : html.index("</table>", start)]

    before = report()
    assert report() == before  # the forum's page is cached under its version from here on
    _walk_to_done(next(fu for fu in follow_ups if fu.agency_id), people["petugas"])
    assert report() != before  # last year's follow-up does not bump this forum's version
