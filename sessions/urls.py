from django.urls import path

from sessions.views import day, preparation, projector

app_name = "forum"

P = "forum/<int:pk>/"

urlpatterns = [
    path("forum/", preparation.forum_index, name="index"),
    path("forum/buat/", preparation.forum_create, name="create"),
    path(P, preparation.forum_detail, name="detail"),
    path(P + "persiapan/", preparation.forum_edit, name="edit"),
    path(P + "pedoman/", preparation.guideline_upload, name="guideline_upload"),
    path(P + "pedoman/unduh/", preparation.guideline_download, name="guideline_download"),
    path(P + "tim/", preparation.team_add, name="team_add"),
    path(P + "tim/<int:member_pk>/hapus/", preparation.team_remove, name="team_remove"),
    path(P + "agenda/", preparation.agenda, name="agenda"),
    path(P + "agenda/templat/", preparation.agenda_template, name="agenda_template"),
    path(P + "agenda/tambah/", preparation.agenda_save, name="agenda_add"),
    path(P + "agenda/<int:item_pk>/ubah/", preparation.agenda_save, name="agenda_edit"),
    path(P + "agenda/<int:item_pk>/hapus/", preparation.agenda_delete, name="agenda_delete"),
    path(P + "agenda/<int:item_pk>/mulai/", preparation.agenda_start, name="agenda_start"),
    path(P + "agenda/<int:item_pk>/selesai/", preparation.agenda_end, name="agenda_end"),
    path(P + "komisi/", preparation.commissions, name="commissions"),
    path(P + "komisi/per-bidang/", preparation.commissions_by_sector, name="commissions_by_sector"),
    path(P + "komisi/tambah/", preparation.commission_add, name="commission_add"),
    path(
        P + "komisi/<int:commission_pk>/hapus/",
        preparation.commission_delete,
        name="commission_delete",
    ),
    path(
        P + "komisi/<int:commission_pk>/catatan/",
        preparation.commission_notes,
        name="commission_notes",
    ),
    path(
        P + "komisi/<int:commission_pk>/urutan/",
        preparation.commission_ranks,
        name="commission_ranks",
    ),
    path(P + "usulan/<int:item_pk>/pindah/", preparation.item_move, name="item_move"),
    path(P + "usulan/<int:item_pk>/<str:direction>/", preparation.item_shift, name="item_shift"),
    path(P + "muat-data/", preparation.load_data, name="load_data"),
    path(P + "mulai/", day.forum_start, name="start"),
    path(P + "peserta/", day.participants, name="participants"),
    path(P + "peserta/tambah/", day.participant_edit, name="participant_add"),
    path(P + "peserta/<int:participant_pk>/ubah/", day.participant_edit, name="participant_edit"),
    path(
        P + "peserta/<int:participant_pk>/hapus/", day.participant_delete, name="participant_delete"
    ),
    path(P + "peserta/impor/", day.participants_import, name="participants_import"),
    path(P + "peserta/format.xlsx", day.participants_template, name="participants_template"),
    path(P + "hadir/", day.attendance, name="attendance"),
    path(P + "hadir/cari/", day.attendance_search, name="attendance_search"),
    path(P + "hadir/jumlah/", day.attendance_counts, name="attendance_counts"),
    path(P + "hadir/baru/", day.attendance_walk_in, name="attendance_walk_in"),
    path(P + "hadir/<int:participant_pk>/", day.attendance_mark, name="attendance_mark"),
    path(P + "verifikasi/", day.verification, name="verification"),
    path(P + "verifikasi/<int:item_pk>/", day.item_verify, name="item_verify"),
    path(P + "tambahan/", day.addition, name="addition"),
    path(P + "delegasi/", day.delegates, name="delegates"),
    path(P + "delegasi/pilih/", day.delegates_elect, name="delegates_elect"),
    path(P + "layar/", projector.projector, name="projector"),
    path(P + "layar/isi/", projector.projector_body, name="projector_body"),
]
