from django.urls import path

from reports import views, views_sipd

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
]
