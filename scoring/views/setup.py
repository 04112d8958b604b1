"""Criteria and scorers of a forum (the camat sets them up before scoring)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from musrenbang import params
from musrenbang.access import get_for_user
from musrenbang.models import User
from musrenbang.views_toolkit import run
from scoring import selectors, services
from scoring.forms import CriterionAddForm, CriterionWeightForm, ScorerParams
from scoring.models import Criterion, Scorer
from scoring.views._common import MANAGE, get_forum, page_context
from sessions.models import Forum


def criteria(request: HttpRequest, pk: int) -> HttpResponse:
    forum = get_forum(request, pk)
    context = page_context(request, forum)
    frozen = services.criteria_frozen(forum=forum)
    context.update(
        criteria=selectors.criteria_of(forum),
        frozen=frozen,
        criteria_editable=context["can_edit"] and not frozen,
        add_form=CriterionAddForm(),
        multiple=forum.scoring_mode == Forum.ScoringMode.MULTIPLE,
        scorers=selectors.scorers_of(forum),
        candidates=selectors.candidate_scorers(forum) if context["can_edit"] else [],
        events=selectors.events_of(forum),
    )
    return render(request, "scoring/criteria.html", context)


@require_POST
def criteria_copy(request: HttpRequest, pk: int) -> HttpResponse:
    forum = get_forum(request, pk, MANAGE)
    run(
        request,
        services.criteria_copy_from_template,
        "Kriteria disalin dari templat kabupaten/kota.",
        forum=forum,
    )
    return redirect("scoring:criteria", pk=forum.pk)


@require_POST
def criterion_add(request: HttpRequest, pk: int) -> HttpResponse:
    forum = get_forum(request, pk, MANAGE)
    form = CriterionAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Periksa isian kriteria baru: nama, bobot dan nilai tertinggi.")
        return redirect("scoring:criteria", pk=forum.pk)
    run(request, services.criterion_add, "Kriteria ditambahkan.", forum=forum, **form.cleaned_data)
    return redirect("scoring:criteria", pk=forum.pk)


def _criterion(request: HttpRequest, pk: int) -> Criterion:
    qs = Criterion.objects.select_related("forum__subdistrict__regency")
    return get_for_user(request.user, MANAGE, qs, pk=pk)


@require_POST
def criterion_weight(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = _criterion(request, pk)
    form = CriterionWeightForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Bobot harus angka lebih dari nol.")
    else:
        run(
            request,
            services.criterion_update,
            f"Bobot {criterion.name} disimpan.",
            criterion=criterion,
            weight=form.cleaned_data["weight"],
        )
    return redirect("scoring:criteria", pk=criterion.forum_id)


@require_POST
def criterion_remove(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = _criterion(request, pk)
    forum_id = criterion.forum_id
    run(request, services.criterion_remove, "Kriteria dihapus.", criterion=criterion)
    return redirect("scoring:criteria", pk=forum_id)


@require_POST
def scorer_add(request: HttpRequest, pk: int) -> HttpResponse:
    forum = get_forum(request, pk, MANAGE)
    chosen = params.read(request, ScorerParams, source=request.POST, quiet=True)["user"]
    user = User.objects.filter(pk=chosen).first() if chosen else None
    if user is None:
        messages.error(request, "Pilih pengguna yang akan menjadi penilai.")
        return redirect("scoring:criteria", pk=forum.pk)
    name = user.get_full_name() or user.username
    run(request, services.scorer_add, f"{name} menjadi penilai.", forum=forum, user=user)
    return redirect("scoring:criteria", pk=forum.pk)


@require_POST
def scorer_remove(request: HttpRequest, pk: int) -> HttpResponse:
    qs = Scorer.objects.select_related("forum__subdistrict", "user")
    scorer = get_for_user(request.user, MANAGE, qs, pk=pk)
    run(request, services.scorer_remove, "Penilai dihapus.", scorer=scorer)
    return redirect("scoring:criteria", pk=scorer.forum_id)
