"""Preparation pages: forum data, guideline upload and download, team, agenda, import."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from sessions import services
from sessions.models import ForumEvent
from tests import factories as f
from tests import pdfs
from tests.sessions.factories import AgendaItemFactory, running


@pytest.fixture
def forum(subdistrict, year, sector):
    return f.ForumFactory(subdistrict=subdistrict, year=2027)


def test_clerk_saves_preparation_data(as_user, clerk, forum, year):
    data = {"date": year.forum_start.isoformat(), "venue": "Aula Kecamatan", "address": "Jl. A",
            "chair_name": "Camat", "team_decree_number": "SK 7"}  # fmt: skip
    response = as_user(clerk).post(reverse("forum:edit", args=[forum.pk]), data, follow=True)
    forum.refresh_from_db()
    assert forum.team_decree_number == "SK 7"
    assert "Data persiapan disimpan." in response.content.decode()


def test_guideline_is_uploaded_and_served_only_to_people_who_see_the_forum(
    as_user, clerk, other_clerk, forum
):
    client = as_user(clerk)
    upload = SimpleUploadedFile("Tata Tertib.pdf", pdfs.plain(), "application/pdf")
    client.post(reverse("forum:guideline_upload", args=[forum.pk]), {"file": upload})
    response = client.get(reverse("forum:guideline_download", args=[forum.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "Tata Tertib.pdf" in response["Content-Disposition"]
    other = as_user(other_clerk).get(reverse("forum:guideline_download", args=[forum.pk]))
    assert other.status_code == 403


def test_guideline_of_the_wrong_type_is_refused_with_a_message(as_user, clerk, forum):
    upload = SimpleUploadedFile("x.pdf", b"<html>", "application/pdf")
    response = as_user(clerk).post(
        reverse("forum:guideline_upload", args=[forum.pk]), {"file": upload}, follow=True
    )
    assert "bukan jenis yang diizinkan untuk unggahan ini (PDF, Word" in response.content.decode()
    forum.refresh_from_db()
    assert not forum.guideline_file


def test_team_member_is_added_from_the_page(as_user, clerk, forum):
    as_user(clerk).post(
        reverse("forum:team_add", args=[forum.pk]), {"name": "Ani", "role": "Ketua"}
    )
    assert forum.team.get().name == "Ani"


def test_agenda_edit_after_start_shows_a_message_and_changes_nothing(as_user, clerk, forum):
    item = AgendaItemFactory(forum=forum, title="Lama")
    running(forum)
    response = as_user(clerk).post(
        reverse("forum:agenda_edit", args=[forum.pk, item.pk]),
        {"order": 1, "title": "Baru", "planned_minutes": 5},
        follow=True,
    )
    item.refresh_from_db()
    assert item.title == "Lama"
    assert "Mengubah agenda hanya dapat dilakukan saat forum persiapan" in response.content.decode()


def test_import_page_reports_row_errors_in_indonesian(as_user, clerk, forum):
    workbook = Workbook()
    workbook.active.append(services.IMPORT_COLUMNS)
    workbook.active.append(["Budi", "X", "tokoh"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("p.xlsx", buffer.getvalue())
    response = as_user(clerk).post(
        reverse("forum:participants_import", args=[forum.pk]), {"file": upload}, follow=True
    )
    content = response.content.decode()
    assert "Impor dibatalkan" in content and "Baris 2: jenis kelamin" in content
    assert forum.participants.count() == 0


def test_import_template_lists_the_columns(as_user, clerk, forum):
    response = as_user(clerk).get(reverse("forum:participants_template", args=[forum.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    header = [c.value for c in workbook["Peserta"][1]]
    assert header == services.IMPORT_COLUMNS


def test_commission_ranks_are_saved_from_the_inputs(as_user, clerk, forum, sector):
    commission = f.CommissionFactory(forum=forum, sector=sector)
    a, b = (f.ForumItemFactory(forum=forum, commission=commission, commission_rank=n)
            for n in (1, 2))  # fmt: skip
    as_user(clerk).post(
        reverse("forum:commission_ranks", args=[forum.pk, commission.pk]),
        {f"urutan_{a.pk}": "2", f"urutan_{b.pk}": "1"},
    )
    assert list(commission.items.order_by("commission_rank")) == [b, a]
    assert ForumEvent.objects.filter(action="rank").exists()


def test_delegates_confirm_a_proposal_from_the_verification_page(as_user, clerk, forum):
    item = f.ForumItemFactory(forum=forum)
    running(forum)
    as_user(clerk).post(
        reverse("forum:item_verify", args=[forum.pk, item.pk]), {"aksi": "konfirmasi"}
    )
    item.refresh_from_db()
    assert item.confirmed
