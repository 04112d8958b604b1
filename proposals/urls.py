from django.urls import path, re_path

from proposals import views, views_intake

app_name = "proposals"

urlpatterns = [
    path("usulan/desa/", views.village_list, name="village_list"),
    path("usulan/desa/ajukan-semua/", views.submit_all, name="submit_all"),
    path("usulan/desa/lanjutkan/", views.carry_over, name="carry_over"),
    path("usulan/baru/", views.proposal_create, name="create"),
    path("usulan/<int:pk>/", views.proposal_detail, name="detail"),
    path("usulan/<int:pk>/ubah/", views.proposal_edit, name="edit"),
    path("usulan/<int:pk>/ajukan/", views.proposal_submit, name="submit"),
    path("usulan/<int:pk>/terima/", views.proposal_receive, name="receive"),
    path("usulan/<int:pk>/verifikasi/", views.proposal_verify, name="verify"),
    path("usulan/<int:pk>/kembalikan/", views.proposal_return, name="return"),
    path("usulan/<int:pk>/tolak/", views.proposal_reject, name="reject"),
    re_path(
        r"^usulan/(?P<pk>[0-9]{1,18})/(?P<direction>naik|turun)/$", views.proposal_move, name="move"
    ),
    path("usulan/<int:pk>/tanda-terima/", views.receipt, name="receipt"),
    path("usulan/<int:pk>/lampiran/", views.attachment_add, name="attachment_add"),
    path("usulan/lampiran/<int:pk>/", views.attachment_download, name="attachment"),
    path("usulan/lampiran/<int:pk>/hapus/", views.attachment_delete, name="attachment_delete"),
    path("usulan/masuk/", views_intake.incoming, name="incoming"),
    path("usulan/masuk/ekspor/", views_intake.export, name="export"),
    path("usulan/masuk/massal/", views_intake.bulk, name="bulk"),
    path("usulan/rekap/", views_intake.rekap, name="rekap"),
    path("usulan/impor/", views_intake.import_page, name="import"),
    path("usulan/impor-sipd/", views_intake.import_sipd_page, name="import_sipd"),
    path("usulan/impor/templat/", views_intake.import_template, name="import_template"),
    path("usulan/impor/kesalahan/", views_intake.import_errors, name="import_errors"),
    path("lacak/", views_intake.track_form, name="track_form"),
    path("lacak/<str:kode>/", views_intake.track, name="track"),
]
