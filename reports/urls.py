from django.urls import path

from reports import views, views_jobs, views_sipd
from reports.followup import public as followup_public
from reports.followup import views as followup

app_name = "reports"

urlpatterns = [
    path("dokumen/kecamatan/<str:code>/", views.subdistrict_forums, name="subdistrict"),
    path("dokumen/forum/<int:pk>/", views.forum_documents, name="forum"),
    path("dokumen/forum/<int:pk>/cetak/<slug:slug>/", views.document_download, name="document"),
    path("dokumen/forum/<int:pk>/finalkan/", views.minutes_finalize, name="finalize"),
    path("dokumen/forum/<int:pk>/unggah/", views.upload_create, name="upload"),
    path("dokumen/forum/<int:pk>/pengiriman/", views.distribution_create, name="distribution"),
    path("dokumen/unggahan/<int:pk>/", views.upload_download, name="upload_download"),
    path(
        "dokumen/pengiriman/<int:pk>/diterima/",
        views.distribution_receive,
        name="distribution_receive",
    ),
    path("dokumen/arsip/<str:code>/", views.archived_download, name="archived_download"),
    path("dokumen/ikhtisar/<str:code>/", views.overview, name="overview"),
    path("dokumen/ikhtisar/<str:code>/excel/", views.overview_export, name="overview_export"),
    path("dokumen/tugas/<int:pk>/", views_jobs.job_detail, name="job"),
    path("dokumen/tugas/<int:pk>/status/", views_jobs.job_status, name="job_status"),
    path("dokumen/tugas/<int:pk>/unduh/", views_jobs.job_download, name="job_download"),
    path("dokumen/tugas/<int:pk>/ulangi/", views_jobs.job_retry, name="job_retry"),
    path("verifikasi/<str:code>/", views.verify, name="verify"),
    path("dokumen/input-sipd/", views_sipd.sipd_start, name="sipd_start"),
    path("dokumen/forum/<int:pk>/sipd/", views_sipd.sipd_worklist, name="sipd_worklist"),
    path(
        "dokumen/forum/<int:pk>/sipd/<int:proposal_pk>/tandai/",
        views_sipd.sipd_mark,
        name="sipd_mark",
    ),
    path("dokumen/forum/<int:pk>/sipd/excel/", views_sipd.sipd_export, name="sipd_export"),
    path(
        "dokumen/forum/<int:pk>/sipd/rekonsiliasi/",
        views_sipd.sipd_reconcile_page,
        name="sipd_reconcile",
    ),
    path(
        "dokumen/forum/<int:pk>/sipd/rekonsiliasi/<int:record_pk>/selisih/",
        views_sipd.sipd_reconcile_download,
        name="sipd_reconcile_download",
    ),
    # --- tindak lanjut (follow-ups) ---
    path("tindak-lanjut/opd/<int:pk>/", followup.agency_followups, name="followup_agency"),
    path(
        "tindak-lanjut/opd/<int:pk>/lembar-kerja/",
        followup.worklist_download,
        name="followup_worklist",
    ),
    path(
        "tindak-lanjut/opd/<int:pk>/unggah/",
        followup.worklist_upload,
        name="followup_worklist_upload",
    ),
    path(
        "tindak-lanjut/opd/<int:pk>/kesalahan/",
        followup.worklist_errors,
        name="followup_worklist_errors",
    ),
    path(
        "tindak-lanjut/kecamatan/<str:code>/",
        followup.subdistrict_followups,
        name="followup_subdistrict",
    ),
    path("tindak-lanjut/<int:pk>/", followup.followup_detail, name="followup_detail"),
    path("tindak-lanjut/<int:pk>/tahap/", followup.followup_move, name="followup_move"),
    path("tindak-lanjut/<int:pk>/capaian/", followup.milestone_add, name="milestone_add"),
    path("tindak-lanjut/berkas/<int:pk>/", followup.milestone_file, name="milestone_file"),
    path("rapor/<str:code>/<int:year>/", followup_public.report_card, name="report_card"),
    path(
        "rapor/<str:code>/<int:year>/data.csv",
        followup_public.report_card_csv,
        name="report_card_csv",
    ),
    path(
        "rapor/<str:code>/<int:year>/data.json",
        followup_public.report_card_json,
        name="report_card_json",
    ),
]
