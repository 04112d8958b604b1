"""``{% stat_card %}``: one card shape for every figure of the dashboards and forum pages."""

import pytest
from django.template import engines


def _render(source: str, **context) -> str:
    template = engines["django"].from_string("{% load cards %}" + source)
    return " ".join(template.render(context).split())


def test_a_card_shows_label_figure_and_note():
    html = _render(
        '{% stat_card "Usulan dalam forum" total %}{{ n }} dikonfirmasi{% endstat_card %}',
        total=12,
        n=3,
    )
    assert '<div class="text-muted small">Usulan dalam forum</div>' in html
    assert '<div class="value">12</div>' in html
    assert '<div class="small text-muted">3 dikonfirmasi</div>' in html


def test_a_missing_figure_shows_the_empty_text_and_money_is_in_rupiah():
    html = _render(
        '{% stat_card "Pagu" amount money=True empty="belum ditetapkan" %}{% endstat_card %}'
    )
    assert '<span class="text-muted">belum ditetapkan</span>' in html
    html = _render('{% stat_card "Pagu" amount money=True %}{% endstat_card %}', amount=1250000)
    assert "Rp 1.250.000" in html and "small text-muted" not in html  # no note, no empty div


def test_a_total_a_warning_and_a_negative_figure():
    html = _render(
        '{% stat_card "Hadir" 5 total=9 warn=w %}Perempuan{% endstat_card %}'
        '{% stat_card "Sisa" -10 money=True danger_if_negative=True big=False %}{% endstat_card %}',
        w=True,
    )
    assert ">5 / 9<" in html
    assert '<div class="small text-danger">Perempuan</div>' in html
    assert '<div class="fw-semibold text-danger">-Rp 10</div>' in html


def test_the_note_is_escaped_once():
    html = _render('{% stat_card "X" 1 %}{{ note }}{% endstat_card %}', note="<b>&</b>")
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in html and "&amp;lt;" not in html


@pytest.mark.parametrize(
    "path", ["musrenbang/subdistrict_dashboard.html", "forum/forum_detail.html"]
)
def test_pages_use_the_one_card(path):
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "templates" / path).read_text()
    assert "card-stat" not in text and "{% stat_card" in text
