"""Bad input where people type or upload: each gets a clear Indonesian message, no partial data."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from proposals.models import Attachment, Proposal
from reports.models import ForumUpload
from sessions.models import Forum
from tests import factories as f
from tests import pdfs
from tests.reports.job_helpers import body, fetch_document

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"
PDF = pdfs.plain()
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def _valid(sector, **overrides) -> dict:
    data = {
        "title": "Pembangunan drainase RT 03",
        "problem": "Banjir saat hujan.",
        "location": "RT 03 / RW 01",
        "volume": "120",
        "unit": "meter",
        "cost": "75000000",
        "sector": sector.pk,
    }
    data.update(overrides)
    return data


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


@pytest.mark.parametrize(
    "field, value, says",
    [
        ("title", "J" * 5000, "karakter"),
        ("location", "L" * 5000, "karakter"),
        ("volume", "-5", "lebih besar"),
        ("cost", "-1", "lebih besar"),
        ("cost", "9" * 30, ""),
        ("volume", "abc", "bilangan"),
        ("cost", "1e309", ""),
    ],
)
def test_a_bad_proposal_field_is_refused_with_a_message_and_nothing_saved(
    as_user, operator, sector, year, field, value, says
):
    before = Proposal.objects.count()
    response = as_user(operator).post(reverse("proposals:create"), _valid(sector, **{field: value}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert says in " ".join(errors[field])
    assert Proposal.objects.count() == before


def test_the_valid_proposal_is_saved(as_user, operator, sector, year):
    response = as_user(operator).post(reverse("proposals:create"), _valid(sector))
    assert response.status_code == 302
    assert Proposal.objects.filter(village=operator.village).count() == 1


def test_html_in_a_proposal_is_shown_escaped_on_its_pages(as_user, operator, village, year):
    proposal = f.ProposalFactory(village=village, title=SCRIPT, problem=SCRIPT, location=SCRIPT)
    client = as_user(operator)
    for url in (
        reverse("proposals:detail", args=[proposal.pk]),
        reverse("proposals:village_list"),
        reverse("proposals:track", args=[proposal.tracking_code]),
    ):
        html = client.get(url).content.decode()
        assert SCRIPT not in html, url
        assert "&lt;script&gt;alert(" in html, url


def test_excel_export_writes_html_literally_and_escapes_formulas(as_user, clerk, village, year):
    f.ProposalFactory(village=village, title=SCRIPT, status="diajukan")
    f.ProposalFactory(village=village, title='=HYPERLINK("http://x","klik")', status="diajukan")
    response = as_user(clerk).get(reverse("proposals:export"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert SCRIPT in values
    assert not any(v.startswith("=") for v in values), [v for v in values if "HYPERLINK" in v]
    assert any("HYPERLINK" in v for v in values)


def _attach(client, proposal, name, content, content_type="application/pdf"):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(
        reverse("proposals:attachment_add", args=[proposal.pk]),
        {"file": upload, "kind": "dokumen"},
        follow=True,
    )


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("usulan.pdf", b"#!/bin/sh\nrm -rf /\n", "application/pdf"),
        ("foto.jpg", EXE, "image/jpeg"),
        ("kosong.pdf", b"", "application/pdf"),
        ("halaman.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
    ],
)
def test_a_file_lying_about_its_type_is_refused_on_a_proposal(
    as_user, operator, village, year, name, content, content_type
):
    proposal = f.ProposalFactory(village=village)
    response = _attach(as_user(operator), proposal, name, content, content_type)
    assert Attachment.objects.count() == 0
    text = _messages(response)
    assert "Berkas" in text or "berkas" in text, text


def test_a_path_in_the_file_name_is_never_used_to_store_the_file(as_user, operator, village, year):
    proposal = f.ProposalFactory(village=village)
    response = _attach(as_user(operator), proposal, "../../../etc/passwd.pdf", PDF)
    assert response.status_code == 200
    attachment = Attachment.objects.get()
    assert ".." not in attachment.file.name and "passwd" not in attachment.file.name
    assert "/etc/" not in attachment.file.name


@pytest.mark.parametrize(
    "name, content",
    [("ba.pdf", b"#!/bin/sh\necho x\n"), ("ba.pdf", EXE), ("../../ba.pdf", b"MZ")],
)
def test_a_forum_upload_lying_about_its_type_is_refused(
    as_user, clerk, subdistrict, year, name, content
):
    forum = f.ForumFactory(subdistrict=subdistrict, year=2027)
    response = as_user(clerk).post(
        reverse("reports:upload", args=[forum.pk]),
        {"kind": "scan_ba", "caption": "Pindaian", "file": SimpleUploadedFile(name, content)},
        follow=True,
    )
    assert ForumUpload.objects.count() == 0
    assert "PDF" in response.content.decode() or "berkas" in _messages(response).lower()


def test_a_forum_upload_with_a_path_in_its_name_keeps_the_name_only_as_text(
    as_user, clerk, subdistrict, year
):
    forum = f.ForumFactory(subdistrict=subdistrict, year=2027)
    as_user(clerk).post(
        reverse("reports:upload", args=[forum.pk]),
        {"kind": "scan_ba", "caption": SCRIPT, "file": SimpleUploadedFile("../../x/ba.pdf", PDF)},
    )
    upload = ForumUpload.objects.get()
    assert ".." not in upload.file.name and "/x/" not in upload.file.name
    html = as_user(clerk).get(reverse("reports:forum", args=[forum.pk])).content.decode()
    assert SCRIPT not in html


@pytest.mark.parametrize("value", ["2026-13-45", "kemarin", "31/02/2026", "99999-01-01"])
def test_a_malformed_forum_date_is_refused_and_nothing_changes(
    as_user, clerk, subdistrict, year, value
):
    forum = f.ForumFactory(subdistrict=subdistrict, year=2027, venue="Aula")
    response = as_user(clerk).post(
        reverse("forum:edit", args=[forum.pk]), {"date": value, "venue": "Diubah"}
    )
    assert response.status_code == 200
    assert "date" in response.context["form"].errors
    assert "tanggal" in " ".join(response.context["form"].errors["date"]).lower()
    forum.refresh_from_db()
    assert forum.venue == "Aula" and forum.date is None


@pytest.mark.parametrize("value", ["-1", "999", "abc", "1e9"])
def test_an_absurd_score_is_refused_and_nothing_is_stored(as_user, camat, subdistrict, year, value):
    from scoring.models import Score
    from tests.scoring.factories import forum_with_items

    forum, items, criteria = forum_with_items(subdistrict, items=1, criteria=(1,))
    response = as_user(camat).post(
        reverse("scoring:score_cell", args=[forum.pk]),
        {"item": items[0].pk, "criterion": criteria[0].pk, "value": value},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code in (200, 302, 400, 422)
    assert Score.objects.count() == 0
    assert Forum.objects.get(pk=forum.pk).state == Forum.State.RUNNING


@pytest.mark.parametrize("value", ["-1", "0", "abc", "1e400", "99999999999999999999"])
def test_an_absurd_criterion_weight_is_refused_and_nothing_changes(
    as_user, camat, subdistrict, year, value
):
    from tests.scoring.factories import forum_with_items

    forum, _items, criteria = forum_with_items(subdistrict, items=1, criteria=(2,))
    response = as_user(camat).post(
        reverse("scoring:criterion_weight", args=[criteria[0].pk]), {"weight": value}, follow=True
    )
    assert response.status_code == 200
    assert "Bobot" in _messages(response)
    criteria[0].refresh_from_db()
    assert criteria[0].weight == 2


@pytest.mark.parametrize("amount", ["-5000000", "abc", "9" * 25])
def test_an_absurd_budget_ceiling_is_refused_in_the_admin(as_user, bappeda, subdistrict, amount):
    from musrenbang.models import BudgetCeiling

    response = as_user(bappeda).post(
        reverse("admin:musrenbang_budgetceiling_add"),
        {"subdistrict": subdistrict.pk, "year": 2027, "amount": amount},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors.get("amount")
    assert BudgetCeiling.objects.count() == 0


def test_html_in_a_participant_name_appears_literally_in_the_pdf(
    as_user, clerk, subdistrict, year, pdf_text
):
    forum = f.ForumFactory(subdistrict=subdistrict, year=2027)
    f.ParticipantFactory(
        forum=forum, name="<b>Tebal</b><script>alert(1)</script>", present_at=timezone.now()
    )
    url = reverse("reports:document", args=[forum.pk, "daftar-hadir"])
    response = fetch_document(as_user(clerk), url)  # made by the worker (reports.jobs)
    assert response.status_code == 200
    text = pdf_text(body(response))
    # The narrow column wraps the name; compare without the wrapping spaces.
    assert "<b>Tebal</b><script>alert(1)</script>" in text.replace(" ", ""), text


def test_scoring_results_workbook_writes_html_literally_and_escapes_formulas(
    as_user, camat, subdistrict, agency, year
):
    from tests.scoring.factories import sent_forum as scored

    forum = scored(subdistrict, agency=agency, items=2)
    ids = list(forum.items.values_list("proposal_id", flat=True))
    Proposal.objects.filter(pk=ids[0]).update(title=SCRIPT)
    Proposal.objects.filter(pk=ids[1]).update(title="=SUM(A1:A9)")
    response = as_user(camat).get(reverse("scoring:results_xlsx", args=[forum.pk]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert SCRIPT in values
    assert any("SUM(A1:A9)" in v for v in values)
    assert not any(v.startswith("=") for v in values), [v for v in values if v.startswith("=")]
