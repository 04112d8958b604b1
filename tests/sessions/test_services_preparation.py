"""Preparation services: forum creation, data, agenda, commissions, load data, participants."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from musrenbang.exceptions import DomainError, Locked
from proposals.models import Status
from sessions import services
from sessions.models import AgendaTemplate, Forum, ForumEvent, Participant
from tests import factories as f
from tests import pdfs
from tests.sessions.factories import AgendaItemFactory, running, sent


@pytest.fixture
def forum(subdistrict, year, sector):
    return f.ForumFactory(subdistrict=subdistrict, year=2027)


def test_camat_creates_the_forum_with_default_agenda_and_commissions(camat, year, sector):
    forum = services.forum_create(actor=camat, subdistrict=camat.subdistrict, year=2027)
    assert forum.state == Forum.State.PREPARATION
    assert forum.chair_name == "Camat Uji"
    assert forum.agenda.count() == 12
    assert [a.planned_minutes for a in forum.agenda.all()] == [
        30, 30, 30, 30, 30, 15, 30, 15, 150, 60, 30, 15
    ]  # fmt: skip
    assert list(forum.commissions.values_list("name", flat=True)) == ["Komisi Sarana dan Prasarana"]
    assert ForumEvent.objects.filter(forum=forum, action="create").exists()


def test_only_one_forum_per_kecamatan_and_year(clerk, year):
    services.forum_create(actor=clerk, subdistrict=clerk.subdistrict, year=2027)
    with pytest.raises(DomainError, match="sudah ada"):
        services.forum_create(actor=clerk, subdistrict=clerk.subdistrict, year=2027)
    assert Forum.objects.count() == 1


def test_forum_needs_a_planning_year(camat):
    with pytest.raises(DomainError, match="belum ditetapkan"):
        services.forum_create(actor=camat, subdistrict=camat.subdistrict, year=2030)


@pytest.mark.parametrize("persona", ["operator", "opd_reader", "bappeda", "other_clerk"])
def test_others_cannot_create_the_forum(request, persona, subdistrict, year):
    user = request.getfixturevalue(persona)
    with pytest.raises(DomainError):
        services.forum_create(actor=user, subdistrict=subdistrict, year=2027)


def test_clerk_edits_preparation_data_within_the_forum_period(clerk, forum, year):
    day = year.forum_start + dt.timedelta(days=3)
    services.forum_update(
        actor=clerk, forum=forum, date=day, venue="Aula Baru", team_decree_number="SK 1/2026"
    )
    forum.refresh_from_db()
    assert (forum.date, forum.venue, forum.team_decree_number) == (day, "Aula Baru", "SK 1/2026")
    with pytest.raises(DomainError, match="periode musrenbang"):
        services.forum_update(actor=clerk, forum=forum, date=year.forum_end + dt.timedelta(days=1))


@pytest.mark.parametrize("persona", ["operator", "opd_reader", "bappeda", "other_clerk", "no_role"])
def test_only_kecamatan_users_edit_preparation(request, persona, forum):
    with pytest.raises(DomainError):
        services.forum_update(actor=request.getfixturevalue(persona), forum=forum, venue="X")


def test_guideline_attachment_is_checked_by_content_and_stored_under_a_new_name(clerk, forum):
    pdf = SimpleUploadedFile("pedoman saya.pdf", pdfs.plain(), "application/pdf")
    services.forum_attach_guideline(actor=clerk, forum=forum, upload=pdf)
    forum.refresh_from_db()
    assert forum.guideline_file_name == "pedoman saya.pdf"
    assert forum.guideline_file.name.endswith(".pdf")
    assert "pedoman saya" not in forum.guideline_file.name
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", "application/pdf")
    with pytest.raises(DomainError, match="PDF"):
        services.forum_attach_guideline(actor=clerk, forum=forum, upload=fake)


def test_guideline_attachment_size_is_limited(clerk, forum, settings):
    settings.UPLOAD_MAX_DOCUMENT_BYTES = 10
    big = SimpleUploadedFile("a.pdf", b"%PDF-" + b"x" * 20, "application/pdf")
    with pytest.raises(DomainError, match="terlalu besar"):
        services.forum_attach_guideline(actor=clerk, forum=forum, upload=big)


def test_team_members_are_added_and_removed(clerk, forum):
    member = services.team_member_add(actor=clerk, forum=forum, name="Ani", role="Ketua")
    assert list(forum.team.all()) == [member]
    services.team_member_remove(actor=clerk, member=member)
    assert forum.team.count() == 0


def test_agenda_comes_from_a_template_and_is_editable_before_the_day(clerk, forum):
    template = AgendaTemplate.objects.get(is_default=True, regency=None)
    assert services.agenda_apply_template(actor=clerk, forum=forum, template=template) == 12
    item = services.agenda_item_save(
        actor=clerk, forum=forum, title="Doa penutup", planned_minutes=5
    )
    assert item.order == 13
    services.agenda_item_delete(actor=clerk, item=item)
    assert forum.agenda.count() == 12


def test_agenda_cannot_change_after_the_start(clerk, forum):
    item = AgendaItemFactory(forum=forum)
    running(forum)
    with pytest.raises(DomainError, match="persiapan"):
        services.agenda_item_save(
            actor=clerk, forum=forum, item=item, title="Baru", planned_minutes=10
        )
    with pytest.raises(DomainError):
        services.agenda_item_delete(actor=clerk, item=item)
    template = AgendaTemplate.objects.get(is_default=True, regency=None)
    with pytest.raises(DomainError):
        services.agenda_apply_template(actor=clerk, forum=forum, template=template)
    item.refresh_from_db()
    assert item.title.startswith("Acara")


def test_commissions_per_bidang_are_created_once(clerk, forum, regency):
    f.SectorFactory(regency=regency, name="Ekonomi")
    assert services.commissions_create_by_sector(actor=clerk, forum=forum) == 2
    assert services.commissions_create_by_sector(actor=clerk, forum=forum) == 0
    free = services.commission_add(actor=clerk, forum=forum, name="Kelompok OPD Fisik")
    assert free.sector is None
    with pytest.raises(DomainError, match="sudah ada"):
        services.commission_add(actor=clerk, forum=forum, name="kelompok opd fisik")


def _verified(village, sector, **kwargs):
    return f.ProposalFactory(village=village, sector=sector, status=Status.VERIFIED, **kwargs)


def test_load_data_takes_verified_proposals_into_commissions_by_bidang(
    clerk, forum, village, other_village, far_village, sector, regency
):
    economy = f.SectorFactory(regency=regency, name="Ekonomi")
    services.commissions_create_by_sector(actor=clerk, forum=forum)
    a = _verified(village, sector)
    b = _verified(other_village, economy)
    f.ProposalFactory(village=village, sector=sector, status=Status.RECEIVED)
    _verified(far_village, sector)  # other kecamatan
    _verified(village, sector, year=2026)  # other year
    assert services.forum_load_data(actor=clerk, forum=forum) == 2
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.forum_item.commission.sector == sector
    assert b.forum_item.commission.name == "Komisi Ekonomi"
    assert a.forum_item.commission_rank == 1
    forum.refresh_from_db()
    assert forum.data_loaded_at is not None


def test_load_data_runs_once_and_the_list_stays_fixed(clerk, forum, village, sector):
    _verified(village, sector)
    services.forum_load_data(actor=clerk, forum=forum)
    _verified(village, sector)
    with pytest.raises(DomainError, match="sudah dimuat"):
        services.forum_load_data(actor=clerk, forum=forum)
    assert forum.items.count() == 1


def test_items_move_between_commissions_and_are_ordered(clerk, forum, village, sector):
    first = services.commission_add(actor=clerk, forum=forum, name="A", sector=sector)
    second = services.commission_add(actor=clerk, forum=forum, name="B")
    for _ in range(3):
        _verified(village, sector)
    services.forum_load_data(actor=clerk, forum=forum)
    items = list(first.items.order_by("commission_rank"))
    services.item_shift(actor=clerk, item=items[2], direction="up")
    assert list(first.items.order_by("commission_rank")) == [items[0], items[2], items[1]]
    services.commission_rank_set(
        actor=clerk, commission=first, ranks={items[0].pk: 3, items[1].pk: 1, items[2].pk: 2}
    )
    assert list(first.items.order_by("commission_rank")) == [items[1], items[2], items[0]]
    services.item_move(actor=clerk, item=items[2], commission=second)
    assert [(i.pk, i.commission_rank) for i in first.items.order_by("commission_rank")] == [
        (items[1].pk, 1),
        (items[0].pk, 2),
    ]
    items[2].refresh_from_db()
    assert (items[2].commission, items[2].commission_rank) == (second, 1)
    services.commission_notes_save(actor=clerk, commission=second, notes="Disepakati")
    second.refresh_from_db()
    assert second.notes == "Disepakati"


def test_participants_are_registered_with_village_of_the_kecamatan(
    clerk, forum, village, far_village
):
    p = services.participant_save(
        actor=clerk,
        forum=forum,
        name="Siti",
        gender="P",
        category="delegasi",
        village=village,
        phone="0812",
    )
    assert p.village == village
    with pytest.raises(DomainError, match="wajib memilih"):
        services.participant_save(
            actor=clerk, forum=forum, name="A", gender="L", category="delegasi"
        )
    with pytest.raises(DomainError, match="bukan bagian"):
        services.participant_save(
            actor=clerk, forum=forum, name="A", gender="L", category="tokoh", village=far_village
        )


def _workbook(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(services.IMPORT_COLUMNS)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("peserta.xlsx", buffer.getvalue())


def test_participants_import_from_excel(clerk, forum, village):
    upload = _workbook(
        [
            ["Siti Aminah", "P", "Delegasi desa/kelurahan", "Mekar", "", "", "0812"],
            ["Budi", "L", "tokoh", "", "LPM", "Ketua", ""],
        ]
    )
    assert services.participants_import(actor=clerk, forum=forum, upload=upload) == 2
    siti = forum.participants.get(name="Siti Aminah")
    assert (siti.gender, siti.category, siti.village) == ("P", "delegasi", village)


def test_participants_import_is_all_or_nothing_with_row_errors(clerk, forum, village):
    upload = _workbook(
        [
            ["Siti", "P", "tokoh", "", "", "", ""],
            ["Budi", "X", "tokoh", "", "", "", ""],
            ["Ani", "P", "delegasi", "", "", "", ""],
            ["Tono", "L", "tokoh", "Antah", "", "", ""],
        ]
    )
    with pytest.raises(services.ImportRejected) as error:
        services.participants_import(actor=clerk, forum=forum, upload=upload)
    assert error.value.errors[0].startswith("Baris 3: jenis kelamin")
    assert error.value.errors[1].startswith("Baris 4: delegasi desa")
    assert "Antah" in error.value.errors[2]
    assert forum.participants.count() == 0


def test_participants_import_refuses_a_file_that_is_not_excel(clerk, forum):
    upload = SimpleUploadedFile("peserta.xlsx", b"Nama;Jenis\n")
    with pytest.raises(DomainError, match="Excel"):
        services.participants_import(actor=clerk, forum=forum, upload=upload)


def test_participant_present_cannot_be_deleted(clerk, forum):
    p = f.ParticipantFactory(forum=forum, category="tokoh")
    running(forum)
    services.attendance_mark(actor=clerk, forum=forum, participant_id=p.pk)
    with pytest.raises(DomainError, match="sudah hadir"):
        services.participant_delete(actor=clerk, participant=p)
    assert Participant.objects.filter(pk=p.pk).exists()


def test_a_sent_forum_refuses_every_preparation_service(clerk, forum, village, sector, year):
    item = AgendaItemFactory(forum=forum)
    commission = f.CommissionFactory(forum=forum)
    forum_item = f.ForumItemFactory(forum=forum, commission=commission)
    member = services.team_member_add(actor=clerk, forum=forum, name="A", role="B")
    participant = f.ParticipantFactory(forum=forum, category="tokoh")
    template = AgendaTemplate.objects.get(is_default=True, regency=None)
    sent(forum)
    calls = [
        lambda: services.forum_update(actor=clerk, forum=forum, venue="X"),
        lambda: services.forum_attach_guideline(
            actor=clerk, forum=forum, upload=SimpleUploadedFile("a.pdf", pdfs.plain())
        ),
        lambda: services.team_member_add(actor=clerk, forum=forum, name="A", role="B"),
        lambda: services.team_member_remove(actor=clerk, member=member),
        lambda: services.agenda_apply_template(actor=clerk, forum=forum, template=template),
        lambda: services.agenda_item_save(actor=clerk, forum=forum, title="X", planned_minutes=1),
        lambda: services.agenda_item_delete(actor=clerk, item=item),
        lambda: services.commissions_create_by_sector(actor=clerk, forum=forum),
        lambda: services.commission_add(actor=clerk, forum=forum, name="Baru"),
        lambda: services.commission_delete(actor=clerk, commission=commission),
        lambda: services.commission_notes_save(actor=clerk, commission=commission, notes="x"),
        lambda: services.commission_rank_set(actor=clerk, commission=commission, ranks={}),
        lambda: services.item_move(actor=clerk, item=forum_item, commission=None),
        lambda: services.item_shift(actor=clerk, item=forum_item, direction="up"),
        lambda: services.forum_load_data(actor=clerk, forum=forum),
        lambda: services.participant_save(
            actor=clerk, forum=forum, name="A", gender="L", category="tokoh"
        ),
        lambda: services.participant_delete(actor=clerk, participant=participant),
        lambda: services.participants_import(actor=clerk, forum=forum, upload=_workbook([])),
    ]
    events = ForumEvent.objects.count()
    for call in calls:
        with pytest.raises(Locked):
            call()
    assert ForumEvent.objects.count() == events
