"""Documents made by the worker: queued by the button, progress, done, failed, reused, guarded.

The jobs run through ``run_queued`` (the queue's rows, called as ``db_worker`` calls them) or
``jobs.job_run`` directly; ``test_jobs_worker.py`` runs a real ``db_worker`` process.
"""

import re
from io import BytesIO
from unittest import mock

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from proposals.models import Proposal
from reports import documents, job_documents, jobs
from reports.models import ArchivedDocument, DocumentJob
from sessions.models import Forum, Participant
from tests.reports.factories import sent_forum
from tests.reports.job_helpers import body, fetch_document, job_of, queued_tasks, run_queued

pytestmark = pytest.mark.django_db

State = DocumentJob.State


def _doc(forum, slug: str, query: str = "") -> str:
    return reverse("reports:document", args=[forum.pk, slug]) + query


def _export(regency) -> str:
    return reverse("reports:overview_export", args=[regency.code]) + "?tahun=2027"


# --- queued by the button, nothing rendered in the request ---


def test_attendance_button_queues_a_job_and_renders_nothing_in_the_request(sent, clerk, as_user):
    client = as_user(clerk)
    with mock.patch("reports.documents.to_pdf", side_effect=AssertionError("in the request")):
        response = client.post(_doc(sent.forum, "daftar-hadir"))
    job = job_of(response)
    assert (job.kind, job.state, job.progress, job.forum) == (
        DocumentJob.Kind.ATTENDANCE, State.QUEUED, 0, sent.forum,
    )  # fmt: skip
    assert job.requested_by == clerk and job.params == {"blank": False}
    assert queued_tasks() == 1
    page = client.get(response.url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Menunggu giliran" in text and 'value="0"' in text
    assert reverse("reports:job_status", args=[job.pk]) in text
    assert "reports/job.js" in text
    assert reverse("reports:job_download", args=[job.pk]) not in text


def test_attendance_job_reports_progress_then_the_pdf(sent, clerk, as_user, pdf_text):
    client = as_user(clerk)
    job = job_of(client.post(_doc(sent.forum, "daftar-hadir")))
    seen = []
    original = jobs._progress

    def spy(job):
        report = original(job)

        def wrapped(percent, step):
            report(percent, step)
            row = DocumentJob.objects.get(pk=job.pk)
            seen.append((row.state, row.progress, row.step))
            status = client.get(reverse("reports:job_status", args=[job.pk])).json()
            assert status["progress"] == percent and status["finished"] is False

        return wrapped

    with mock.patch("reports.jobs._progress", spy):
        assert run_queued() == 1
    assert [p for _, p, _ in seen] == sorted(p for _, p, _ in seen)
    assert {s for s, _, _ in seen} == {State.RUNNING}
    assert any("Daftar Hadir" in step for _, _, step in seen)
    job.refresh_from_db()
    assert (job.state, job.progress, job.attempts) == (State.DONE, 100, 1)
    assert job.started_at and job.finished_at
    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert reverse("reports:job_download", args=[job.pk]) in page
    response = client.get(reverse("reports:job_download", args=[job.pk]))
    content = body(response)
    assert response["Content-Type"] == "application/pdf" and content.startswith(b"%PDF-")
    text = pdf_text(content)
    assert "DAFTAR HADIR" in text.upper()
    present = sent.forum.participants.filter(present_at__isnull=False).first()
    assert present.name in text


def test_blank_attendance_form_is_its_own_job(sent, clerk, as_user, pdf_text):
    client = as_user(clerk)
    filled = job_of(client.post(_doc(sent.forum, "daftar-hadir")))
    blank = job_of(client.post(_doc(sent.forum, "daftar-hadir", "?formulir=1")))
    assert filled.pk != blank.pk and blank.params == {"blank": True}
    response = fetch_document(client, _doc(sent.forum, "daftar-hadir", "?formulir=1"))
    assert "formulir" in pdf_text(body(response)).lower()


def test_draft_minutes_job_gives_the_draft_pdf(sent, clerk, as_user, pdf_text):
    response = fetch_document(as_user(clerk), _doc(sent.forum, "berita-acara"))
    text = pdf_text(body(response))
    assert "BERITA ACARA" in text.upper() and "DRAF" in text
    assert sent.priority[0].item.proposal.title in text
    job = DocumentJob.objects.get()
    assert job.kind == DocumentJob.Kind.MINUTES_DRAFT
    assert job.filename.startswith("berita-acara-draf-")


def test_final_minutes_are_finalised_by_the_worker(sent, camat, as_user, pdf_text):
    client = as_user(camat)
    url = reverse("reports:finalize", args=[sent.forum.pk])
    with mock.patch("reports.documents.to_pdf", side_effect=AssertionError("in the request")):
        response = client.post(url, {"participant_count": 9, "number": "7/BA", "confirm": "on"})
    job = job_of(response)
    assert job.kind == DocumentJob.Kind.MINUTES_FINAL
    assert job.params == {"participant_count": 9, "number": "7/BA"}
    assert not ArchivedDocument.objects.exists()  # nothing archived inside the request
    run_queued()
    job.refresh_from_db()
    archived = ArchivedDocument.objects.get()
    assert (job.state, job.archived, archived.participant_count) == (State.DONE, archived, 9)
    assert archived.created_by == camat and archived.number == "7/BA"
    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert f"Kode verifikasi: {archived.code}" in page
    assert reverse("reports:archived_download", args=[archived.code]) in page
    download = client.get(reverse("reports:job_download", args=[job.pk]))
    assert download.url == reverse("reports:archived_download", args=[archived.code])
    served = body(client.get(download.url))
    assert "dihadiri oleh 9 (sembilan) orang peserta" in pdf_text(served)


def test_overview_export_job_gives_the_workbook(sent, regency, year, bappeda, as_user):
    client = as_user(bappeda)
    response = fetch_document(client, _export(regency))
    wb = load_workbook(BytesIO(body(response)))
    assert wb.sheetnames[:4] == ["Kecamatan 2027", "Per OPD", "Per bidang", "Per program"]
    rows = list(wb["Kecamatan 2027"].values)
    assert rows[1][:3] == ("91.01.01", "Sukamaju", "Terkirim ke OPD")
    assert rows[-1][1] == "JUMLAH"
    assert "attachment" in response["Content-Disposition"]
    assert "ikhtisar-musrenbang-91.01-2027.xlsx" in response["Content-Disposition"]


def test_buttons_on_the_pages_post_to_the_job_views(sent, regency, year, camat, bappeda, as_user):
    page = as_user(camat).get(reverse("reports:forum", args=[sent.forum.pk])).content.decode()
    for url in [_doc(sent.forum, "daftar-hadir"), _doc(sent.forum, "berita-acara")]:
        assert re.search(rf'<form [^>]*method="post" action="{re.escape(url)}', page)
    overview = as_user(bappeda).get(
        reverse("reports:overview", args=[regency.code]) + "?tahun=2027"
    )
    assert f'<form method="post" action="{_export(regency)}"' in overview.content.decode()


def test_a_get_of_a_job_document_shows_the_button_and_queues_nothing(sent, clerk, as_user):
    response = as_user(clerk).get(_doc(sent.forum, "daftar-hadir"))
    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    assert not DocumentJob.objects.exists() and queued_tasks() == 0


def test_other_documents_cannot_be_posted(sent, clerk, as_user):
    assert as_user(clerk).post(_doc(sent.forum, "laporan")).status_code == 405


# --- failures ---


def test_a_domain_error_fails_at_once_with_its_message(sent, clerk, as_user):
    client = as_user(clerk)
    job = job_of(client.post(_doc(sent.forum, "berita-acara")))
    type(sent.forum).objects.filter(pk=sent.forum.pk).update(date=None)
    run_queued()
    job.refresh_from_db()
    assert (job.state, job.attempts) == (State.FAILED, 1)
    assert job.error == "Tanggal pelaksanaan forum belum diisi; Berita Acara belum dapat dibuat."
    assert queued_tasks() == 0  # not retried
    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert "Dokumen gagal dibuat." in page and "Tanggal pelaksanaan forum belum diisi" in page
    assert "Coba lagi" in page
    assert client.get(reverse("reports:job_status", args=[job.pk])).json()["finished"] is True


def test_an_unexpected_error_is_retried_then_fails_in_indonesian(sent, clerk, as_user):
    client = as_user(clerk)
    job = job_of(client.post(_doc(sent.forum, "daftar-hadir")))
    with mock.patch("reports.documents.to_pdf", side_effect=OSError("disk full")):
        run_queued()
        job.refresh_from_db()
        assert (job.state, job.attempts) == (State.QUEUED, 1)
        assert "Percobaan 1 dari 3 gagal" in job.step
        assert run_queued() == 0  # the retry waits its delay
        run_queued(include_delayed=True)
    job.refresh_from_db()
    assert (job.state, job.attempts) == (State.FAILED, jobs.MAX_ATTEMPTS)
    assert job.error.startswith("Dokumen gagal dibuat karena kesalahan sistem (3 kali dicoba)")
    assert "disk full" not in job.error
    assert not job.file
    assert client.get(reverse("reports:job_download", args=[job.pk])).status_code == 302


def test_a_retry_that_succeeds_keeps_the_count_of_attempts(sent, clerk, as_user):
    job = job_of(as_user(clerk).post(_doc(sent.forum, "daftar-hadir")))
    real = documents.to_pdf
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("weasyprint crashed")
        return real(*args, **kwargs)

    with mock.patch("reports.documents.to_pdf", side_effect=flaky):
        run_queued(include_delayed=True)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.error) == (State.DONE, 2, "")


def test_coba_lagi_queues_the_failed_job_again_and_overwrites_its_file(
    sent, clerk, as_user, pdf_text
):
    client = as_user(clerk)
    job = job_of(client.post(_doc(sent.forum, "daftar-hadir")))
    with mock.patch("reports.documents.to_pdf", side_effect=OSError("x")):
        run_queued(include_delayed=True)
    job.refresh_from_db()
    assert job.is_failed
    response = client.post(reverse("reports:job_retry", args=[job.pk]))
    assert response.url == reverse("reports:job", args=[job.pk])
    job.refresh_from_db()
    assert (job.state, job.attempts, job.error) == (State.QUEUED, 0, "")
    run_queued()
    job.refresh_from_db()
    assert job.is_done
    first_name = job.file.name
    # A second re-run (forced here) writes the same file name, not a second file.
    DocumentJob.objects.filter(pk=job.pk).update(state=State.FAILED)
    client.post(reverse("reports:job_retry", args=[job.pk]))
    run_queued()
    job.refresh_from_db()
    assert job.is_done and job.file.name == first_name == f"dokumen/tugas/{job.pk}/hasil.pdf"
    assert DocumentJob.objects.count() == 1


def test_coba_lagi_is_refused_for_a_job_that_did_not_fail(sent, clerk, as_user):
    client = as_user(clerk)
    job = job_of(client.post(_doc(sent.forum, "daftar-hadir")))
    response = client.post(reverse("reports:job_retry", args=[job.pk]), follow=True)
    assert "tidak gagal" in response.content.decode()
    assert queued_tasks() == 1


def test_a_job_whose_worker_died_can_be_taken_again(sent, clerk, as_user):
    client = as_user(clerk)
    job = job_of(client.post(_doc(sent.forum, "daftar-hadir")))
    long_ago = timezone.now() - jobs.STALE_AFTER * 2
    DocumentJob.objects.filter(pk=job.pk).update(state=State.RUNNING, started_at=long_ago)
    again = job_of(client.post(_doc(sent.forum, "daftar-hadir")))
    assert again.pk == job.pk and again.state == State.QUEUED


# --- idempotency ---


def test_the_same_request_reuses_the_queued_job(sent, clerk, camat, as_user):
    first = job_of(as_user(clerk).post(_doc(sent.forum, "daftar-hadir")))
    second = as_user(camat).post(_doc(sent.forum, "daftar-hadir"))
    assert job_of(second).pk == first.pk
    assert DocumentJob.objects.count() == 1 and queued_tasks() == 1


def test_a_done_job_is_reused_until_the_data_changes(subdistrict, village, clerk, as_user):
    running = sent_forum(subdistrict, villages=[village], state="berlangsung").forum
    client = as_user(clerk)
    first = job_of(client.post(_doc(running, "daftar-hadir")))
    run_queued()
    again = client.post(_doc(running, "daftar-hadir"), follow=True)
    assert "sudah dibuat dari data yang sama" in again.content.decode()
    assert DocumentJob.objects.count() == 1 and queued_tasks() == 0
    # A change in the forum (it bumps Forum.version) asks for a new document.
    person = Participant.objects.filter(forum=running).first()
    person.name = "Nama Baru"
    person.save()
    newer = job_of(client.post(_doc(running, "daftar-hadir")))
    assert newer.pk != first.pk and newer.state == State.QUEUED


def test_the_overview_key_changes_with_the_kabupaten_data(sent, regency, year):
    before = jobs.overview_version(regency, 2027)
    assert jobs.overview_version(regency, 2027) == before
    # An edit of a proposal of the kabupaten (its updated_at moves) ...
    proposal = sent.priority[0].item.proposal
    Proposal.objects.filter(pk=proposal.pk).update(updated_at=timezone.now())
    after_edit = jobs.overview_version(regency, 2027)
    assert after_edit != before
    # ... and any write in one of its forums (Forum.version) change the key.
    Forum.objects.filter(pk=sent.forum.pk).update(version=F("version") + 1)
    assert jobs.overview_version(regency, 2027) not in (before, after_edit)


def test_finalising_twice_reuses_the_one_final_job(sent, camat, as_user):
    client = as_user(camat)
    url = reverse("reports:finalize", args=[sent.forum.pk])
    first = job_of(client.post(url, {"participant_count": 9, "confirm": "on"}))
    second = job_of(client.post(url, {"participant_count": 4, "confirm": "on"}))
    assert first.pk == second.pk and queued_tasks() == 1
    run_queued()
    response = client.post(url, {"participant_count": 4, "confirm": "on"}, follow=True)
    assert "sudah difinalkan" in response.content.decode()
    assert ArchivedDocument.objects.get().participant_count == 9


def test_a_final_job_run_again_links_the_archive_instead_of_failing(sent, camat, as_user):
    job = job_of(
        as_user(camat).post(
            reverse("reports:finalize", args=[sent.forum.pk]),
            {"participant_count": 9, "confirm": "on"},
        )
    )
    run_queued()
    archived = ArchivedDocument.objects.get()
    DocumentJob.objects.filter(pk=job.pk).update(state=State.QUEUED, archived=None)
    again = jobs.job_run(job_id=job.pk)
    assert (again.state, again.archived) == (State.DONE, archived)
    assert ArchivedDocument.objects.count() == 1


# --- permissions ---


@pytest.mark.parametrize(
    "persona", ["other_clerk", "outside_bappeda", "opd_reader", "operator", "no_role"]
)
@pytest.mark.parametrize("slug", ["daftar-hadir", "berita-acara"])
def test_others_cannot_request_forum_documents(sent, slug, persona, request, as_user):
    user = request.getfixturevalue(persona)
    assert as_user(user).post(_doc(sent.forum, slug)).status_code == 403
    assert not DocumentJob.objects.exists() and queued_tasks() == 0


@pytest.mark.parametrize("persona", ["clerk", "bappeda", "other_clerk", "opd_reader"])
def test_only_the_camat_requests_the_final_minutes(sent, persona, request, as_user):
    user = request.getfixturevalue(persona)
    url = reverse("reports:finalize", args=[sent.forum.pk])
    assert as_user(user).post(url, {"participant_count": 1, "confirm": "on"}).status_code == 403
    assert not DocumentJob.objects.exists()


@pytest.mark.parametrize("persona", ["outside_bappeda", "camat", "clerk", "opd_reader"])
def test_only_bappeda_of_the_regency_requests_the_overview(
    regency, year, persona, request, as_user
):
    user = request.getfixturevalue(persona)
    assert as_user(user).post(_export(regency)).status_code == 403
    assert not DocumentJob.objects.exists()


def test_the_service_refuses_without_the_permission(sent, other_clerk):
    from musrenbang.rulebook import Forbidden

    with pytest.raises(Forbidden, match="tidak berwenang"):
        jobs.job_request(actor=other_clerk, kind=DocumentJob.Kind.ATTENDANCE, forum=sent.forum)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("camat", 200), ("clerk", 200), ("bappeda", 200), ("other_clerk", 403),
     ("outside_bappeda", 403), ("opd_reader", 403), ("operator", 403)],
)  # fmt: skip
def test_a_forum_job_and_its_file_follow_the_document_permission(
    sent, clerk, persona, status, request, as_user
):
    job = job_of(as_user(clerk).post(_doc(sent.forum, "daftar-hadir")))
    run_queued()
    client = as_user(request.getfixturevalue(persona))
    for name in ["reports:job", "reports:job_status", "reports:job_download"]:
        assert client.get(reverse(name, args=[job.pk])).status_code == status, name
    retry = client.post(reverse("reports:job_retry", args=[job.pk]))
    assert retry.status_code == (302 if status == 200 else 403)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("bappeda", 200), ("outside_bappeda", 403), ("camat", 403), ("clerk", 403)],
)
def test_the_overview_job_is_bappedas_only(
    regency, year, bappeda, persona, status, request, as_user
):
    job = job_of(as_user(bappeda).post(_export(regency)))
    run_queued()
    client = as_user(request.getfixturevalue(persona))
    assert client.get(reverse("reports:job", args=[job.pk])).status_code == status
    assert client.get(reverse("reports:job_download", args=[job.pk])).status_code == status


def test_job_pages_need_login(sent, clerk, as_user, client):
    job = job_of(as_user(clerk).post(_doc(sent.forum, "daftar-hadir")))
    client.logout()
    response = client.get(reverse("reports:job", args=[job.pk]))
    assert response.status_code == 302 and "/masuk/" in response.url


def test_retry_refuses_get(sent, clerk, as_user):
    job = job_of(as_user(clerk).post(_doc(sent.forum, "daftar-hadir")))
    assert as_user(clerk).get(reverse("reports:job_retry", args=[job.pk])).status_code == 405


def test_draft_minutes_before_sending_is_refused_without_a_job(
    subdistrict, village, clerk, as_user
):
    data = sent_forum(subdistrict, villages=[village], state="berlangsung")
    response = as_user(clerk).post(_doc(data.forum, "berita-acara"), follow=True)
    assert "setelah hasil forum dikirim" in response.content.decode()
    assert not DocumentJob.objects.exists()


def test_old_finished_jobs_and_their_files_are_pruned(sent, clerk, as_user):
    import datetime as dt

    from django.core.management import call_command

    client = as_user(clerk)
    old = job_of(client.post(_doc(sent.forum, "daftar-hadir")))
    run_queued()
    old.refresh_from_db()
    storage, name = old.file.storage, old.file.name
    assert storage.exists(name)
    DocumentJob.objects.filter(pk=old.pk).update(finished_at=timezone.now() - dt.timedelta(days=8))
    fresh = job_of(client.post(_doc(sent.forum, "daftar-hadir", "?formulir=1")))
    run_queued()
    pending = job_of(client.post(_doc(sent.forum, "berita-acara")))
    call_command("prune_document_jobs", "--hari", "7")
    assert not DocumentJob.objects.filter(pk=old.pk).exists()
    assert not storage.exists(name)
    assert set(DocumentJob.objects.values_list("pk", flat=True)) == {fresh.pk, pending.pk}


def test_coba_lagi_of_a_failed_final_job_shows_only_to_the_camat(sent, camat, clerk, as_user):
    job = job_of(
        as_user(camat).post(
            reverse("reports:finalize", args=[sent.forum.pk]),
            {"participant_count": 9, "confirm": "on"},
        )
    )
    type(sent.forum).objects.filter(pk=sent.forum.pk).update(date=None)
    run_queued()
    job.refresh_from_db()
    assert job.is_failed and "Tanggal pelaksanaan" in job.error
    assert not ArchivedDocument.objects.exists()
    page = as_user(clerk).get(reverse("reports:job", args=[job.pk])).content.decode()
    assert "Tanggal pelaksanaan" in page and "Coba lagi" not in page
    assert as_user(clerk).post(reverse("reports:job_retry", args=[job.pk])).status_code == 403
    assert "Coba lagi" in as_user(camat).get(reverse("reports:job", args=[job.pk])).content.decode()


def _request_each(kind, *, sent, regency, camat, bappeda, as_user):
    """Press the button of document ``kind`` as the person allowed to; return the job."""
    if kind == DocumentJob.Kind.OVERVIEW:
        return job_of(as_user(bappeda).post(_export(regency)))
    if kind == DocumentJob.Kind.MINUTES_FINAL:
        url = reverse("reports:finalize", args=[sent.forum.pk])
        return job_of(as_user(camat).post(url, {"participant_count": 9, "confirm": "on"}))
    slug = {DocumentJob.Kind.ATTENDANCE: "daftar-hadir", DocumentJob.Kind.AGENCY_LISTS: "dsp-opd"}
    return job_of(as_user(camat).post(_doc(sent.forum, slug.get(kind, "berita-acara"))))


@pytest.mark.parametrize("kind", list(DocumentJob.Kind))
def test_each_document_goes_queued_progress_done(
    kind, sent, regency, year, camat, bappeda, as_user
):
    job = _request_each(kind, sent=sent, regency=regency, camat=camat, bappeda=bappeda,
                        as_user=as_user)  # fmt: skip
    assert (job.kind, job.state, job.progress) == (kind, State.QUEUED, 0)
    seen = []
    original = jobs._progress

    def spy(job):
        report = original(job)

        def wrapped(percent, step):
            report(percent, step)
            seen.append(DocumentJob.objects.values_list("state", "progress").get(pk=job.pk))

        return wrapped

    with mock.patch("reports.jobs._progress", spy):
        assert run_queued() == 1
    assert len(seen) >= 2 and {s for s, _ in seen} == {State.RUNNING}
    assert [p for _, p in seen] == sorted(p for _, p in seen) and 0 < seen[0][1] < 100
    job.refresh_from_db()
    assert (job.state, job.progress, job.attempts, job.error) == (State.DONE, 100, 1, "")
    assert bool(job.file) != bool(job.archived)  # a file of its own, or the archive's


@pytest.mark.parametrize("kind", list(DocumentJob.Kind))
def test_each_document_fails_in_indonesian_after_its_attempts(
    kind, sent, regency, year, camat, bappeda, as_user
):
    job = _request_each(kind, sent=sent, regency=regency, camat=camat, bappeda=bappeda,
                        as_user=as_user)  # fmt: skip
    broken = mock.Mock(side_effect=RuntimeError("boom"))
    with mock.patch.dict(job_documents.MAKERS, {kind: broken}):
        run_queued(include_delayed=True)
    job.refresh_from_db()
    assert broken.call_count == jobs.MAX_ATTEMPTS
    assert (job.state, job.attempts) == (State.FAILED, jobs.MAX_ATTEMPTS)
    assert "kesalahan sistem" in job.error and "boom" not in job.error
    assert not ArchivedDocument.objects.exists()


def test_a_file_left_at_the_jobs_name_is_overwritten_not_renamed(sent, clerk, as_user):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    job = job_of(as_user(clerk).post(_doc(sent.forum, "daftar-hadir")))
    name = f"dokumen/tugas/{job.pk}/hasil.pdf"
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(b"stale"))
    run_queued()
    job.refresh_from_db()
    assert job.file.name == name
    assert job.file.open("rb").read().startswith(b"%PDF-")
