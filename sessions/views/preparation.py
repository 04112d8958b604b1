"""Pages of the preparation: forum home, data, team, guideline, agenda, commissions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST

from musrenbang import params
from musrenbang import selectors as core_selectors
from musrenbang.caching import render_cached
from musrenbang.db import read_parts
from musrenbang.fastpage import fast_page, registered_parts
from musrenbang.models import Subdistrict
from sessions import selectors, services, versions
from sessions.forms import (
    AgendaItemForm,
    CommissionForm,
    ForumForm,
    MoveForm,
    NotesForm,
    TeamMemberForm,
    TemplateForm,
    UploadForm,
)
from sessions.models import AgendaItem, Commission, ForumItem, TeamMember
from sessions.views._common import context, forum_fingerprint, forum_marks, get_forum, run

RECORD = "forum.record_forum"


def forum_index(request: HttpRequest) -> HttpResponse:
    """Kecamatan users go to this year's forum (or can create it); others see a list."""
    user = request.user
    forums = selectors.forums_for(user).order_by("-year", "subdistrict__code")
    if user.has_perm("forum.create_forum", user.subdistrict):
        year = core_selectors.current_year(user.subdistrict.regency, params.year(request))
        forum = forums.filter(year=year.year).first() if year else None
        if forum is not None:
            return redirect(forum)
        return render(request, "forum/forum_index.html", {"year": year, "forums": forums})
    if not user.has_perm("forum.list_forums"):
        raise PermissionDenied("Anda tidak berwenang membuka halaman ini.")
    return render(request, "forum/forum_index.html", {"year": None, "forums": forums})


@require_POST
def forum_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm("forum.create_forum", user.subdistrict):
        raise PermissionDenied("Hanya camat dan staf kecamatan yang dapat membuat forum.")
    subdistrict = get_object_or_404(
        Subdistrict.objects.select_related("regency"), pk=user.subdistrict_id
    )
    year = params.year(request, source=request.POST)
    if year is None:
        messages.error(request, "Tahun perencanaan tidak valid.")
        return redirect("forum:index")
    forum = run(
        request, services.forum_create, "Forum dibuat. Lengkapi data persiapannya.",
        subdistrict=subdistrict, year=year,
    )  # fmt: skip
    return redirect(forum) if forum else redirect("forum:index")


def _home_fingerprint(request, pk) -> list:
    """The forum's rows and what other apps draw on its home ("Rapor tahun lalu")."""
    unread = (versions.SCORES,)  # the forum home shows no scores
    parts = registered_parts("forum-home", forum_id=pk)
    return [*forum_fingerprint(request, pk, unread=unread), *parts]


@fast_page(_home_fingerprint)
def forum_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The forum's home: its state, what is ready and the next steps."""
    forum = get_forum(request, pk)
    # Cached under the forum's version below the tabs: the reads are lazy, a hit runs none.
    items = SimpleLazyObject(lambda: selectors.agenda(forum))
    ctx = context(
        forum,
        request,
        "home",
        counts=SimpleLazyObject(lambda: selectors.attendance_counts(forum)),
        stats=SimpleLazyObject(lambda: selectors.item_stats(forum)),
        agenda_items=items,
        current_item=SimpleLazyObject(lambda: selectors.current_agenda_item(items)),
        commission_count=SimpleLazyObject(lambda: forum.commissions.count()),
        team=SimpleLazyObject(lambda: list(forum.team.all())),
        delegates=SimpleLazyObject(lambda: selectors.delegates_by_body_name(forum)),
        events=SimpleLazyObject(lambda: list(forum.events.select_related("actor")[:8])),
    )
    ctx["page_version"] = (
        forum.pk,
        forum.version,
        forum.attendance_version,
        ctx["can_record"],
        ctx["can_lead"],
    )
    extra = read_parts(registered_parts("forum-home", forum_id=forum.pk))  # "Rapor tahun lalu"
    marks = (*forum_marks(forum, unread=(versions.SCORES,)), ctx["page_version"], *extra)
    return render_cached(request, "forum/forum_detail.html", ctx, marks)


def forum_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Preparation data: date, venue, chair, SK Tim, house rules, guideline, team."""
    forum = get_forum(request, pk, RECORD)
    form = ForumForm(request.POST or None, instance=forum)
    if request.method == "POST" and form.is_valid():
        if run(request, services.forum_update, "Data persiapan disimpan.", forum=forum,
               **form.cleaned_data):  # fmt: skip
            return redirect("forum:edit", pk=forum.pk)
        forum.refresh_from_db()
    ctx = context(
        forum, request, "edit", form=form,
        upload_form=UploadForm(accept=".pdf,.doc,.docx,.odt", label="Berkas lampiran", css="mb-2",
                               auto_id="lampiran_%s"),
        team_form=TeamMemberForm(auto_id="tim_%s"),
        team=list(forum.team.all()),
    )  # fmt: skip
    return render(request, "forum/forum_edit.html", ctx)


@require_POST
def guideline_upload(request: HttpRequest, pk: int) -> HttpResponse:
    forum = get_forum(request, pk, RECORD)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        run(request, services.forum_attach_guideline, "Lampiran disimpan.", forum=forum,
            upload=form.cleaned_data["file"])  # fmt: skip
    else:
        messages.error(request, "Pilih berkas yang akan diunggah.")
    return redirect("forum:edit", pk=forum.pk)


def guideline_download(request: HttpRequest, pk: int) -> FileResponse:
    forum = get_forum(request, pk)
    if not forum.guideline_file:
        raise Http404("Belum ada lampiran.")
    return FileResponse(
        forum.guideline_file.open("rb"),
        as_attachment=True,
        filename=forum.guideline_file_name or forum.guideline_file.name.rsplit("/", 1)[-1],
    )


@require_POST
def team_add(request: HttpRequest, pk: int) -> HttpResponse:
    forum = get_forum(request, pk, RECORD)
    form = TeamMemberForm(request.POST)
    if form.is_valid():
        run(request, services.team_member_add, "Anggota tim ditambahkan.", forum=forum,
            **form.cleaned_data)  # fmt: skip
    else:
        messages.error(request, "Nama dan kedudukan dalam tim wajib diisi.")
    return redirect("forum:edit", pk=forum.pk)


@require_POST
def team_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    forum = get_forum(request, pk, RECORD)
    member = get_object_or_404(TeamMember, pk=member_pk, forum=forum)
    run(request, services.team_member_remove, "Anggota tim dihapus.", member=member)
    return redirect("forum:edit", pk=forum.pk)


# --- Agenda ---


def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    """The agenda with planned and actual times; editable before the day, clocked on it."""
    forum = get_forum(request, pk)
    items = selectors.agenda(forum)
    for item in items:  # the inline edit row of each line, ids unique on the page
        item.form = AgendaItemForm(instance=item, compact=True, auto_id=f"ubah-{item.pk}-%s")
    ctx = context(
        forum, request, "agenda", items=items, current_item=selectors.current_agenda_item(items),
        next_item=selectors.next_agenda_item(items),
        form=AgendaItemForm(initial={"order": len(items) + 1}),
        template_form=TemplateForm(regency=forum.subdistrict.regency),
    )  # fmt: skip
    return render(request, "forum/agenda.html", ctx)


@require_POST
def agenda_template(request: HttpRequest, pk: int) -> HttpResponse:
    forum = get_forum(request, pk, RECORD)
    form = TemplateForm(request.POST, regency=forum.subdistrict.regency)
    if form.is_valid():
        run(request, services.agenda_apply_template, "Agenda diisi dari templat.", forum=forum,
            template=form.cleaned_data["template"])  # fmt: skip
    else:
        messages.error(request, "Pilih templat agenda.")
    return redirect("forum:agenda", pk=forum.pk)


@require_POST
def agenda_save(request: HttpRequest, pk: int, item_pk: int | None = None) -> HttpResponse:
    forum = get_forum(request, pk, RECORD)
    item = get_object_or_404(AgendaItem, pk=item_pk, forum=forum) if item_pk else None
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        run(request, services.agenda_item_save, "Agenda disimpan.", forum=forum, item=item,
            **form.cleaned_data)  # fmt: skip
    else:
        messages.error(request, "Isian agenda tidak lengkap: urutan, uraian dan durasi wajib.")
    return redirect("forum:agenda", pk=forum.pk)


@require_POST
def agenda_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    forum = get_forum(request, pk, RECORD)
    item = get_object_or_404(AgendaItem, pk=item_pk, forum=forum)
    run(request, services.agenda_item_delete, "Butir agenda dihapus.", item=item)
    return redirect("forum:agenda", pk=forum.pk)


@require_POST
def agenda_start(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    forum = get_forum(request, pk, RECORD)
    item = get_object_or_404(AgendaItem, pk=item_pk, forum=forum)
    run(request, services.agenda_item_start, f"Agenda dimulai: {item.title}", item=item)
    return redirect("forum:agenda", pk=forum.pk)


@require_POST
def agenda_end(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    forum = get_forum(request, pk, RECORD)
    item = get_object_or_404(AgendaItem, pk=item_pk, forum=forum)
    run(request, services.agenda_item_end, f"Agenda selesai: {item.title}", item=item)
    return redirect("forum:agenda", pk=forum.pk)


# --- Commissions ---


def commissions(request: HttpRequest, pk: int) -> HttpResponse:
    """The commissions with their draft priority lists (constant number of queries)."""
    forum = get_forum(request, pk)
    # Read lazily: when the lists' fragment is cached under the forum's version, the 1,000
    # rows are neither queried nor rendered.
    commission_list = SimpleLazyObject(lambda: selectors.commissions_with_items(forum))
    ctx = context(
        forum, request, "commissions", commissions=commission_list,
        unassigned=SimpleLazyObject(lambda: selectors.unassigned_items(forum)),
        form=CommissionForm(regency=forum.subdistrict.regency, auto_id="komisi_baru_%s"),
        move_choices=SimpleLazyObject(lambda: [(c.pk, c.name) for c in commission_list]),
    )  # fmt: skip
    ctx["lists_version"] = (forum.pk, forum.versions, ctx["can_record"], forum.is_locked)
    return render(request, "forum/commissions.html", ctx)


def _back_to_commissions(forum, commission_pk=None) -> HttpResponse:
    response = redirect("forum:commissions", pk=forum.pk)
    if commission_pk:
        response["Location"] += f"#komisi-{commission_pk}"
    return response


@require_POST
def commissions_by_sector(request: HttpRequest, pk: int) -> HttpResponse:
    forum = get_forum(request, pk, RECORD)
    run(
        request,
        services.commissions_create_by_sector,
        lambda created: f"{created} komisi baru dibuat.",
        forum=forum,
    )
    return _back_to_commissions(forum)


@require_POST
def commission_add(request: HttpRequest, pk: int) -> HttpResponse:
    forum = get_forum(request, pk, RECORD)
    form = CommissionForm(request.POST, regency=forum.subdistrict.regency)
    if form.is_valid():
        run(request, services.commission_add, "Komisi ditambahkan.", forum=forum,
            **form.cleaned_data)  # fmt: skip
    else:
        messages.error(request, "Nama komisi wajib diisi.")
    return _back_to_commissions(forum)


@require_POST
def commission_delete(request: HttpRequest, pk: int, commission_pk: int) -> HttpResponse:
    forum = get_forum(request, pk, RECORD)
    commission = get_object_or_404(Commission, pk=commission_pk, forum=forum)
    run(request, services.commission_delete, "Komisi dihapus.", commission=commission)
    return _back_to_commissions(forum)


@require_POST
def commission_notes(request: HttpRequest, pk: int, commission_pk: int) -> HttpResponse:
    forum = get_forum(request, pk, RECORD)
    commission = get_object_or_404(Commission, pk=commission_pk, forum=forum)
    form = NotesForm(request.POST)
    form.is_valid()
    run(request, services.commission_notes_save, "Catatan komisi disimpan.",
        commission=commission, notes=form.cleaned_data.get("notes", ""))  # fmt: skip
    return _back_to_commissions(forum, commission.pk)


@require_POST
def commission_ranks(request: HttpRequest, pk: int, commission_pk: int) -> HttpResponse:
    forum = get_forum(request, pk, RECORD)
    commission = get_object_or_404(Commission, pk=commission_pk, forum=forum)
    typed = params.read_ids(request.POST, "urutan_") or {}
    ranks = {pk: params.number(value, minimum=1, maximum=100_000) for pk, value in typed.items()}
    if not typed or None in ranks.values():
        messages.error(request, "Urutan harus bilangan bulat mulai dari 1.")
        return _back_to_commissions(forum, commission.pk)
    run(request, services.commission_rank_set, "Urutan prioritas disimpan.",
        commission=commission, ranks=ranks)  # fmt: skip
    return _back_to_commissions(forum, commission.pk)


@require_POST
def item_shift(request: HttpRequest, pk: int, item_pk: int, direction: str) -> HttpResponse:
    if direction not in ("naik", "turun"):
        raise Http404("Arah tidak dikenal.")
    forum = get_forum(request, pk, RECORD)
    item = get_object_or_404(ForumItem.objects.select_related("proposal"), pk=item_pk, forum=forum)
    run(request, services.item_shift, None, item=item,
        direction="up" if direction == "naik" else "down")  # fmt: skip
    return _back_to_commissions(forum, item.commission_id)


@require_POST
def item_move(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    forum = get_forum(request, pk, RECORD)
    item = get_object_or_404(ForumItem.objects.select_related("proposal"), pk=item_pk, forum=forum)
    form = MoveForm(request.POST, forum=forum)
    if form.is_valid():
        target = form.cleaned_data["commission"]
        run(request, services.item_move, "Usulan dipindahkan.", item=item, commission=target)
        return _back_to_commissions(forum, target.pk if target else None)
    messages.error(request, "Komisi tujuan tidak dikenal.")
    return _back_to_commissions(forum)


@require_POST
def load_data(request: HttpRequest, pk: int) -> HttpResponse:
    forum = get_forum(request, pk, RECORD)
    run(
        request,
        services.forum_load_data,
        lambda count: f"{count} usulan terverifikasi dimuat ke forum.",
        forum=forum,
    )
    return redirect(forum)
