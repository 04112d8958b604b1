from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from musrenbang import views

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", auth_views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("kecamatan/<str:code>/", views.subdistrict_dashboard, name="subdistrict_dashboard"),
    path("desa/<str:code>/", views.village_dashboard, name="village_dashboard"),
    path("kabupaten/<str:code>/", views.regency_dashboard, name="regency_dashboard"),
    path("opd/", views.agency_dashboard, name="agency_dashboard"),
    path("sehat/", views.health, name="health"),
    path("kamus/cari/", views.kamus_search, name="kamus_search"),
    path("admin/", admin.site.urls),
    path("", include("proposals.urls")),
    path("", include("sessions.urls")),
    path("", include("scoring.urls")),
    path("", include("reports.urls")),
]

handler403 = "musrenbang.views.error_403"
handler404 = "musrenbang.views.error_404"
