"""Pages of the day: start, participants and attendance, verification, additions, delegates."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST

from musrenbang import params
from musrenbang import selectors as master_selectors
from musrenbang.caching import conditional, poll, render_cached
from musrenbang.exceptions import DomainError
from musrenbang.fastpage import fast_page, row_md5
from musrenbang.models import Village
from musrenbang.views_toolkit import show_form_errors, xlsx_response
from sessions import selectors, services
from sessions.forms import (
    AdditionForm,
    ElectionForm,
    ParticipantForm,
    ParticipantListParams,
    UploadForm,
    VerificationParams,
    VerifyForm,
)
from sessions.models import Delegate, Forum, ForumItem, Participant
from sessions.versions import SHOWN_WITHOUT_SCORES, poll_marks, poll_marks_reader
from sessions.views._common import context, forum_fingerprint, forum_marks, get_forum, run

RECORD = "forum.record_forum"
LEAD = "forum.lead_forum"
SORTS = {"nama": "name", "unsur": "category", "hadir": "present_at", "desa": "village__name"}


@require_POST
def forum_start(request: HttpRequest, pk: int) -> HttpResponse:
    forum = get_forum(request, pk, LEAD)
    run(request, services.forum_start, "Forum dimulai. Kehadiran dapat dicatat.", forum=forum)
    return redirect(forum)


# --- Participants ---


def participants(request: HttpRequest, pk: int) -> HttpResponse:
    """The pre-registered list: search, sort, paginate; add one or import from Excel."""
    forum = get_forum(request, pk)
    flt = params.read(request, ParticipantListParams)
    query, sort = flt["q"] or "", flt["urut"] or "nama"
    qs = selectors.participant_search(forum, query, present=flt["hadir"] or "")
    qs = qs.order_by(SORTS.get(sort, "name"), "name", "id")
    page = Paginator(qs, 50).get_page(flt["hal"])
    ctx = context(
        forum, request, "participants", page=page, query=query, sort=sort,
        form=ParticipantForm(forum=forum), import_form=UploadForm(
            accept=".xlsx", label="Berkas Excel peserta", css="w-auto", auto_id="impor_%s"
        ),
        counts=selectors.attendance_counts(forum),
    )  # fmt: skip
    return render(request, "forum/participants.html", ctx)


def participant_edit(request: HttpRequest, pk: int, participant_pk: int | None = None):
    forum = get_forum(request, pk, RECORD)
    participant = (
        get_object_or_404(Participant, pk=participant_pk, forum=forum) if participant_pk else None
    )
    form = ParticipantForm(request.POST or None, instance=participant, forum=forum)
    if request.method == "POST" and form.is_valid():
        saved = run(request, services.participant_save, "Peserta disimpan.", forum=forum,
                    participant=participant, **form.cleaned_data)  # fmt: skip
        if saved:
            return redirect("forum:participants", pk=forum.pk)
    ctx = context(forum, request, "participants", form=form, participant=participant)
    return render(request, "forum/participant_form.html", ctx)


@require_POST
def participant_delete(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    forum = get_forum(request, pk, RECORD)
    participant = get_object_or_404(Participant, pk=participant_pk, forum=forum)
    run(request, services.participant_delete, "Peserta dihapus.", participant=participant)
    return redirect("forum:participants", pk=forum.pk)


@require_POST
def participants_import(request: HttpRequest, pk: int) -> HttpResponse:
    forum = get_forum(request, pk, RECORD)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Pilih berkas Excel (.xlsx) yang akan diimpor.")
        return redirect("forum:participants", pk=forum.pk)
    run(
        request,
        services.participants_import,
        lambda count: f"{count} peserta diimpor.",
        forum=forum,
        upload=form.cleaned_data["file"],
    )
    return redirect("forum:participants", pk=forum.pk)


def participants_template(request: HttpRequest, pk: int) -> HttpResponse:
    """An empty workbook with the import columns and the list of unsur."""

    from openpyxl import Workbook

    forum = get_forum(request, pk, RECORD)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Peserta"
    sheet.append(services.IMPORT_COLUMNS)
    help_sheet = workbook.create_sheet("Unsur")
    help_sheet.append(["Kode", "Unsur"])
    for value, label in Participant.Category.choices:
        help_sheet.append([value, label])
    village_sheet = workbook.create_sheet("Desa")
    for village in forum.subdistrict.villages.all():
        village_sheet.append([village.name])
    return xlsx_response(workbook, "format-peserta.xlsx")


# --- Attendance ---


def _attendance_fingerprint(request, pk) -> list:
    """The forum's rows and the desa of its kecamatan (the walk-in form's choices)."""
    sql = row_md5(
        Village._meta.db_table,
        f"t.subdistrict_id = (SELECT subdistrict_id FROM {Forum._meta.db_table} WHERE id = %s)",  # noqa: S608
    )
    return [*forum_fingerprint(request, pk), (sql, [pk])]


@fast_page(_attendance_fingerprint)
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The door: search as you type, one click to mark present, walk-ins, live counts."""
    forum = get_forum(request, pk, RECORD)
    ctx = _attendance_context(request, forum, lazy=True)
    ctx["walk_in_form"], ctx["walk_in_marks"] = _walk_in_form(forum)
    # The counts and the results are the same for every recorder of the forum at this version,
    # page and search: cached under it, read (lazily) only on a miss. The rows' CSRF tokens
    # are put in per request (``cached_fragment``).
    ctx["counts_marks"] = ("attendance-counts", forum.pk, *forum.versions)
    ctx["results_marks"] = (forum.pk, forum.versions, ctx["may_mark"], request.get_full_path())
    marks = (*forum_marks(forum), ctx["results_marks"], ctx["walk_in_marks"], _flags(ctx))
    return render_cached(request, "forum/attendance.html", ctx, marks)


def _flags(ctx: dict) -> tuple:
    """The viewer's permission flags a forum page shows its controls by (``type``, not
    ``isinstance``: that would evaluate the lazy reads the cache is there to skip)."""
    return tuple(sorted((k, v) for k, v in ctx.items() if type(v) is bool))


def _walk_in_form(forum) -> tuple:
    """Return the empty walk-in form (built only when the template asks: a cached page or
    fragment never does) and the key of its cached HTML (its desa choices, one small query).
    """
    villages = [
        (pk, str(Village(name=name, kind=kind)))
        for pk, name, kind in Village.objects.filter(subdistrict=forum.subdistrict_id)
        .order_by("code")
        .values_list("pk", "name", "kind")
    ]

    def build() -> ParticipantForm:
        form = ParticipantForm(forum=forum, prefix="baru")
        field = form.fields["village"]
        field.choices = [("", field.empty_label), *villages]
        return form

    return SimpleLazyObject(build), ("walk-in", forum.subdistrict_id, *villages)


def _attendance_context(request: HttpRequest, forum, *, lazy: bool = False) -> dict:
    """``lazy``: the page and the counts are read when the template first asks for them (a
    cached fragment never does)."""
    flt = params.read(request, ParticipantListParams, quiet=bool(request.htmx))
    query = flt["q"] or ""
    qs = selectors.participant_search(forum, query, present=flt["hadir"] or "")

    def page():
        return Paginator(qs, 25).get_page(flt["hal"])

    def counts():
        return selectors.attendance_counts(forum)

    wrap = SimpleLazyObject if lazy else (lambda read: read())
    return context(
        forum, request, "attendance", page=wrap(page), query=query,
        counts=wrap(counts), **_row_flags(forum),
        not_started=forum.state == Forum.State.PREPARATION,
    )  # fmt: skip


def _row_flags(forum) -> dict:
    """What every row of the door needs, computed once (not per row in the template)."""
    return {
        "may_mark": forum.state == Forum.State.RUNNING,
        "mark_prefix": reverse("forum:attendance_mark", args=[forum.pk, 0]).removesuffix("0/"),
    }


def attendance_search(request: HttpRequest, pk: int) -> HttpResponse:
    """The results partial for htmx (search-as-you-type)."""
    forum = get_forum(request, pk, RECORD)
    return render(request, "forum/_attendance_results.html", _attendance_context(request, forum))


@poll(poll_marks_reader("jumlah-hadir", SHOWN_WITHOUT_SCORES), public=False)
def attendance_counts(request: HttpRequest, pk: int) -> HttpResponse:
    """The live counts the door polls: 304 while the forum's version is unchanged."""
    forum = get_forum(request, pk)
    return conditional(
        request,
        poll_marks("jumlah-hadir", forum, SHOWN_WITHOUT_SCORES),
        lambda: render(
            request,
            "forum/_counts.html",
            {"forum": forum, "counts": selectors.attendance_counts(forum)},
        ),
    )


@require_POST
def attendance_mark(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    forum = get_forum(request, pk, RECORD)
    try:
        marked = services.attendance_mark(
            actor=request.user, forum=forum, participant_id=participant_pk
        )
    except DomainError as error:
        if request.htmx:
            return HttpResponse(
                f'<div class="alert alert-danger py-1 mb-0">{_escape(error)}</div>', status=422
            )
        messages.error(request, str(error))
        return redirect("forum:attendance", pk=forum.pk)
    person = marked.participant
    if request.htmx:
        response = render(
            request,
            "forum/_attendance_row.html",
            {"forum": forum, "p": person, "just": True, **_row_flags(forum)},
        )
        response["HX-Trigger"] = "attendance-changed"
        return response
    if marked.newly_marked:
        messages.success(
            request, f"{person.name} hadir pukul {timezone.localtime(person.present_at):%H:%M}."
        )
    else:
        messages.info(request, f"{person.name} sudah tercatat hadir.")
    return redirect("forum:attendance", pk=forum.pk)


def _escape(error) -> str:
    from django.utils.html import escape

    return escape(str(error))


@require_POST
def attendance_walk_in(request: HttpRequest, pk: int) -> HttpResponse:
    forum = get_forum(request, pk, RECORD)
    form = ParticipantForm(request.POST, forum=forum, prefix="baru")
    if form.is_valid():
        run(request, services.attendance_walk_in, f"{form.cleaned_data['name']} tercatat hadir.",
            forum=forum, **form.cleaned_data)  # fmt: skip
    else:
        messages.error(request, "Isian peserta baru belum lengkap (nama, jenis kelamin, unsur).")
    return redirect("forum:attendance", pk=forum.pk)


# --- Verification and additions ---


def verification(request: HttpRequest, pk: int) -> HttpResponse:
    """Desa delegates confirm each proposal or note a correction."""
    forum = get_forum(request, pk)
    flt = params.read(request, VerificationParams)
    village_id = flt["desa"]
    items = selectors.verification_items(forum, village_id=village_id)
    page = Paginator(items, 50).get_page(flt["hal"])
    instrument = master_selectors.instrument_for_year(forum.year)
    for item in page:
        item.kamus_flags = master_selectors.kamus_flags(item.proposal, instrument=instrument)
    ctx = context(
        forum, request, "verification", page=page, village_id=village_id,
        villages=list(forum.subdistrict.villages.all()), stats=selectors.item_stats(forum),
    )  # fmt: skip
    return render(request, "forum/verification.html", ctx)


@require_POST
def item_verify(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    forum = get_forum(request, pk, RECORD)
    item = get_object_or_404(ForumItem, pk=item_pk, forum=forum)
    form = VerifyForm(request.POST)
    if not form.is_valid():
        show_form_errors(request, form)
        return redirect(_verification_url(forum))
    confirmed, back = form.confirmed, form.cleaned_data["kembali"]
    message = "Usulan dikonfirmasi." if confirmed else "Catatan koreksi disimpan."
    run(request, services.item_verify, message, item=item, confirmed=confirmed,
        note=form.cleaned_data["note"])  # fmt: skip
    return redirect(f"{_verification_url(forum)}{back if back.startswith('?') else ''}")


def _verification_url(forum) -> str:
    from django.urls import reverse

    return reverse("forum:verification", args=[forum.pk])


def addition(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter a kecamatan addition (a proposal the forum finds necessary)."""
    forum = get_forum(request, pk, RECORD)
    form = AdditionForm(request.POST or None, forum=forum)
    if request.method == "POST" and form.is_valid():
        item = run(request, services.kecamatan_addition_create, None, forum=forum,
                   **form.cleaned_data)  # fmt: skip
        if item:
            messages.success(request, f"Usulan kecamatan {item.proposal.reference} ditambahkan.")
            return redirect("forum:commissions", pk=forum.pk)
    additions = selectors.forum_items().filter(forum=forum, proposal__origin="kecamatan")
    ctx = context(forum, request, "addition", form=form, additions=list(additions))
    return render(request, "forum/addition.html", ctx)


# --- Delegates ---


def delegates(request: HttpRequest, pk: int) -> HttpResponse:
    """Election of the delegates to the Forum Perangkat Daerah and the Musrenbang Kab/Kota."""
    forum = get_forum(request, pk)
    grouped = selectors.delegates_by_body(forum)
    bodies = [
        {
            "value": value,
            "label": label,
            "seats": services.seats_for(forum, value),
            "rows": grouped[value],
            "elected": [d for d in grouped[value] if d.elected],
            "no_woman": bool(grouped[value])
            and not any(d.elected and d.participant.gender == "P" for d in grouped[value]),
        }
        for value, label in Delegate.Body.choices
    ]
    ctx = context(
        forum, request, "delegates", bodies=bodies,
        candidates=list(selectors.present_participants(forum).select_related("village")),
        form=ElectionForm(initial={"method": Delegate.Method.AGREEMENT}),
    )  # fmt: skip
    return render(request, "forum/delegates.html", ctx)


@require_POST
def delegates_elect(request: HttpRequest, pk: int) -> HttpResponse:
    forum = get_forum(request, pk, LEAD)
    form = ElectionForm(request.POST)
    if not form.is_valid():
        refusal = form.non_field_errors()
        messages.error(request, refusal[0] if refusal else "Pilih forum tujuan dan cara pemilihan.")
        return redirect("forum:delegates", pk=forum.pk)
    result = run(
        request,
        services.delegates_elect,
        forum=forum,
        body=form.cleaned_data["body"],
        method=form.cleaned_data["method"],
        candidates=form.cleaned_data["candidates"],
    )
    if result is None:
        return redirect("forum:delegates", pk=forum.pk)
    names = ", ".join(d.participant.name for d in result.elected)
    messages.success(
        request, f"Delegasi {Delegate.Body(form.cleaned_data['body']).label}: {names}."
    )
    for group in result.ties:
        messages.info(
            request,
            "Suara sama: "
            + ", ".join(d.participant.name for d in group)
            + f" ({group[0].votes} suara).",
        )
    for warning in result.warnings:
        messages.warning(request, warning)
    return redirect("forum:delegates", pk=forum.pk)
