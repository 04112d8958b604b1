from django.urls import path

from scoring import views

app_name = "scoring"

urlpatterns = [
    path("skoring/kecamatan/<str:code>/", views.entry, name="entry"),
    path("skoring/kecamatan/<str:code>/hasil/", views.entry_results, name="entry_results"),
    path("skoring/forum/<int:pk>/kriteria/", views.criteria, name="criteria"),
    path("skoring/forum/<int:pk>/kriteria/salin/", views.criteria_copy, name="criteria_copy"),
    path("skoring/forum/<int:pk>/kriteria/tambah/", views.criterion_add, name="criterion_add"),
    path("skoring/kriteria/<int:pk>/bobot/", views.criterion_weight, name="criterion_weight"),
    path("skoring/kriteria/<int:pk>/hapus/", views.criterion_remove, name="criterion_remove"),
    path("skoring/forum/<int:pk>/penilai/", views.scorer_add, name="scorer_add"),
    path("skoring/penilai/<int:pk>/hapus/", views.scorer_remove, name="scorer_remove"),
    path("skoring/forum/<int:pk>/lembar/", views.sheet, name="sheet"),
    path("skoring/forum/<int:pk>/nilai/", views.score_cell, name="score_cell"),
    path(
        "skoring/forum/<int:pk>/prioritas-daerah/",
        views.development_priority,
        name="development_priority",
    ),
    path("skoring/forum/<int:pk>/hitung/", views.compute, name="compute"),
    path("skoring/forum/<int:pk>/hasil/", views.results, name="results"),
    path("skoring/forum/<int:pk>/hasil.xlsx", views.results_xlsx, name="results_xlsx"),
    path("skoring/forum/<int:pk>/terapkan-pagu/", views.apply_ceiling, name="apply_ceiling"),
    path("skoring/hasil/<int:pk>/keputusan/", views.decide, name="decide"),
    path("skoring/hasil/<int:pk>/batal/", views.undo, name="undo"),
    path("skoring/hasil/<int:pk>/opd/", views.set_agency, name="set_agency"),
    path("skoring/hasil/<int:pk>/urutan/", views.move, name="move"),
    path("skoring/forum/<int:pk>/kirim/", views.send, name="send"),
    path("skoring/opd/", views.agency_priorities, name="agency_priorities"),
    path("skoring/opd/usulan/<int:pk>/", views.agency_proposal, name="agency_proposal"),
    path("skoring/opd/lampiran/<int:pk>/", views.agency_attachment, name="agency_attachment"),
    path("skoring/opd/prioritas.xlsx", views.agency_priorities_xlsx, name="agency_priorities_xlsx"),
]
