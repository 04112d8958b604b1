"""Hitung, the Hasil Skoring, its workbook, the decisions and "Kirim ke OPD"."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST

from musrenbang import params
from musrenbang.access import safe_next
from musrenbang.caching import render_cached
from musrenbang.fastpage import fast_page
from musrenbang.models import Agency
from musrenbang.views_toolkit import run, xlsx_response
from scoring import selectors, services
from scoring.export import ranking_workbook
from scoring.forms import AgencyParams, DecisionForm, MoveForm, SheetParams
from scoring.models import Result
from scoring.views._common import MANAGE, get_forum, get_result, page_context, query_without_page
from scoring.views.scoresheet import latest_forum
from sessions import versions
from sessions.views._common import forum_marks, ranking_fingerprint

RESULTS_PER_PAGE = 100


def entry_results(request: HttpRequest, code: str) -> HttpResponse:
    """Menu entry "Hasil Skoring": the latest forum's ranking."""
    forum = latest_forum(request, code)
    if forum is None:
        return render(request, "scoring/no_forum.html", status=200)
    return redirect("scoring:results", pk=forum.pk)


def _back_to_results(result: Result) -> HttpResponse:
    url = reverse("scoring:results", args=[result.item.forum_id])
    page = ((result.rank or 1) - 1) // RESULTS_PER_PAGE + 1
    return redirect(f"{url}?halaman={page}#hasil-{result.pk}")


@require_POST
def compute(request: HttpRequest, pk: int) -> HttpResponse:
    forum = get_forum(request, pk, MANAGE)
    done = run(
        request,
        services.forum_compute,
        lambda count: f"Hitung selesai: {count} usulan diperingkat.",
        forum=forum,
    )
    if done is not None:
        return redirect("scoring:results", pk=forum.pk)
    return redirect(safe_next(request, reverse("scoring:sheet", args=[forum.pk])))


@fast_page(ranking_fingerprint)
def results(request: HttpRequest, pk: int) -> HttpResponse:
    """The ranking. The figures and the rows below the tabs are fragments cached under the
    forum's version (and the viewer's flags and the query), so the reads are lazy: a hit runs
    none of them. A saved score moves only ``scores_version``: the page around the fragments
    (the "nilai berubah" banner, the checks before sending) is rendered again, the rows are
    not, since they show the totals and averages of the last Hitung."""
    forum = get_forum(request, pk)
    context = page_context(request, forum)
    query = params.read(request, SheetParams)
    commission_id = query["komisi"]
    show_all = query["semua"] == "1"
    can_edit = context["can_edit"]
    data = SimpleLazyObject(
        lambda: selectors.ranking(
            forum=forum,
            commission_id=commission_id,
            page=query["halaman"],
            per_page=None if show_all else RESULTS_PER_PAGE,
        )
    )
    # Outside the cached rows: the banner and the send checks follow the scores, the rows
    # (totals and averages of the last Hitung) only the forum's version.
    stale = SimpleLazyObject(
        lambda: bool(can_edit and selectors.scores_changed_since_hitung(forum))
    )
    context.update(
        show_all=show_all,
        query=query_without_page(request),
        ranking=data,
        commissions=SimpleLazyObject(lambda: selectors.commissions_of(forum)),
        commission_id=commission_id,
        agencies=SimpleLazyObject(lambda: selectors.agencies(forum) if can_edit else []),
        decisions_open=can_edit and forum.is_running,
        stale=stale,
        problems=SimpleLazyObject(
            lambda: services.send_problems(forum=forum, stale=stale) if can_edit else []
        ),
        page_version=(  # the cached parts: not the scores (nor the attendance)
            forum.pk,
            forum.version,
            context["can_manage"],
            can_edit,
            request.get_full_path(),
        ),
    )
    flags = (context["can_manage"], can_edit, context["can_score"])
    marks = (*forum_marks(forum, unread=(versions.ATTENDANCE,)), context["page_version"], flags)
    return render_cached(request, "scoring/results.html", context, marks)


def results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    forum = get_forum(request, pk)
    workbook = ranking_workbook(forum, selectors.ranking(forum=forum))
    return xlsx_response(workbook, f"hasil-skoring-{forum.subdistrict.code}-{forum.year}.xlsx")


@require_POST
def apply_ceiling(request: HttpRequest, pk: int) -> HttpResponse:
    forum = get_forum(request, pk, MANAGE)
    run(
        request,
        services.results_apply_ceiling,
        lambda count: f"Usulan pagu diterapkan pada {count} usulan.",
        forum=forum,
    )
    return redirect("scoring:results", pk=forum.pk)


@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    result = get_result(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pilih keputusan prioritas atau cadangan.")
        return _back_to_results(result)
    agency = None
    if form.cleaned_data["agency"]:
        agency = get_object_or_404(Agency, pk=form.cleaned_data["agency"])
    run(
        request,
        services.result_decide,
        lambda decided: f"{decided.item.proposal.reference}: {decided.get_decision_display()}.",
        result=result,
        decision=form.cleaned_data["decision"],
        reason=form.cleaned_data["reason"],
        agency=agency,
    )
    return _back_to_results(result)


@require_POST
def undo(request: HttpRequest, pk: int) -> HttpResponse:
    result = get_result(request, pk)
    message = f"Keputusan {result.item.proposal.reference} dibatalkan."
    run(request, services.result_undo, message, result=result)
    return _back_to_results(result)


@require_POST
def set_agency(request: HttpRequest, pk: int) -> HttpResponse:
    result = get_result(request, pk)
    chosen = params.read(request, AgencyParams, source=request.POST, quiet=True)["agency"]
    agency = get_object_or_404(Agency, pk=chosen) if chosen else None
    message = f"OPD {result.item.proposal.reference}: {agency or '-'}."
    run(request, services.result_set_agency, message, result=result, agency=agency)
    return _back_to_results(result)


@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    result = get_result(request, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Isi peringkat baru dan alasan mengubah urutan.")
        return _back_to_results(result)
    run(
        request,
        services.result_move,
        "Urutan diubah dan dicatat.",
        result=result,
        new_rank=form.cleaned_data["rank"],
        reason=form.cleaned_data["reason"],
    )
    return _back_to_results(result)


@require_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    forum = get_forum(request, pk, MANAGE)
    sent = run(request, services.forum_send, forum=forum)
    if sent:
        messages.success(request, "Hasil skoring dikirim ke OPD. Data forum kini terkunci.")
    elif sent is False:
        messages.info(request, "Hasil skoring sudah dikirim sebelumnya; tidak ada yang diubah.")
    return redirect("scoring:results", pk=forum.pk)
