"""Forms of the documents page; the views hand ``cleaned_data`` to ``reports.services``."""

from django import forms
from django.utils import timezone

from musrenbang import params
from musrenbang.models import Agency
from reports.models import Distribution, ForumUpload

DATE_WIDGET = {"type": "date"}


class _OwnIds(forms.Form):
    """A form of the documents page: its field ids carry the form's name (``finalize_number``,
    ``distribution_number``), so the several forms of one page never share an id."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class FinalizeForm(_OwnIds):
    id_prefix = "finalize"
    participant_count = forms.IntegerField(
        label="Jumlah peserta dalam Berita Acara",
        min_value=0,
        help_text="Terisi dari daftar hadir; perbaiki bila perlu sebelum difinalkan.",
    )
    number = forms.CharField(label="Nomor Berita Acara", max_length=120, required=False)
    confirm = forms.BooleanField(
        label="Saya mengerti bahwa Berita Acara final tidak dapat diubah lagi.", required=True
    )


class UploadForm(_OwnIds):
    id_prefix = "upload"
    kind = forms.ChoiceField(label="Jenis", choices=ForumUpload.Kind.choices)
    caption = forms.CharField(label="Keterangan", max_length=255)
    file = forms.FileField(
        label="Berkas",
        help_text="PDF untuk pindaian, JPEG/PNG untuk foto, MP4 untuk video.",
    )


class DistributionForm(_OwnIds):
    id_prefix = "distribution"
    number = forms.CharField(label="Nomor surat keluar", max_length=120)
    document_title = forms.CharField(
        label="Dokumen yang dikirim",
        max_length=255,
        initial="Laporan Hasil Musrenbang Kecamatan beserta Berita Acara",
    )
    recipient_kind = forms.ChoiceField(label="Penerima", choices=Distribution.Recipient.choices)
    agency = forms.ModelChoiceField(
        label="OPD penerima", queryset=Agency.objects.none(), required=False
    )
    recipient_name = forms.CharField(label="Nama/instansi penerima", max_length=200, required=False)
    sent_on = forms.DateField(
        label="Tanggal kirim",
        initial=timezone.localdate,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
    )
    received_by = forms.CharField(label="Diterima oleh", max_length=120, required=False)
    received_on = forms.DateField(
        label="Tanggal terima",
        required=False,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
    )
    note = forms.CharField(label="Catatan", max_length=255, required=False)

    def __init__(self, *args, regency=None, **kwargs):
        super().__init__(*args, **kwargs)
        if regency is not None:
            self.fields["agency"].queryset = Agency.objects.filter(regency=regency, is_active=True)


class ReceiveForm(_OwnIds):
    id_prefix = "receive"
    received_by = forms.CharField(label="Diterima oleh", max_length=120)
    received_on = forms.DateField(
        label="Tanggal terima",
        initial=timezone.localdate,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
    )


class VerifyForm(forms.Form):
    file = forms.FileField(label="Berkas PDF untuk dibandingkan")


# --- Request parameters (read through musrenbang.params) -----------------------------------


class DocumentParams(params.ParamsForm):
    opd = params.id_field(label="OPD")
    desa = params.code_field(label="desa")
    formulir = params.choice_field(["1"], label="formulir")


class OverviewParams(params.ParamsForm):
    q = params.text_field(label="pencarian")
    urut = params.choice_field(["kode", "nama", "prioritas", "usulan"], label="urutan")
    halaman = params.page_field(label="halaman")


class SipdMarkForm(forms.Form):
    """Tick ("1") or untick ("0") "sudah diinput di SIPD"; ``query`` is the list to go back to."""

    done = forms.TypedChoiceField(
        choices=[("1", "sudah"), ("0", "belum")],
        coerce=lambda value: value == "1",
        required=False,
        empty_value=False,
    )
    query = forms.CharField(required=False, strip=False)
