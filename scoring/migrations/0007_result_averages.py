"""Result.averages: the per-criterion averages of the last Hitung, shown by the ranking.

Results written before this migration get the averages of their forum's stored scores over
the sheets that count: the registered scorers (multiple mode), or every sheet of the forum
(single mode: only a camat scores, and the camat of that day may have left since). The next
Hitung writes them anew. A sent forum's scores are locked, so these are the averages its
totals were weighted from. Kept in step with ``scoring.services.fill_missing_averages``
(a migration uses the historical models, not the app's code).
"""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations, models
from django.db.models import Avg


def fill_averages(apps, schema_editor):
    Result = apps.get_model("scoring", "Result")
    Score = apps.get_model("scoring", "Score")
    Scorer = apps.get_model("scoring", "Scorer")
    Forum = apps.get_model("forum", "Forum")
    for forum in Forum.objects.filter(items__result__isnull=False).distinct():
        scores = Score.objects.filter(item__forum=forum, criterion__forum=forum)
        if forum.scoring_mode == "banyak":
            scores = scores.filter(
                scorer_id__in=Scorer.objects.filter(forum=forum).values("user_id")
            )
        averages = defaultdict(dict)
        for row in scores.values("item_id", "criterion_id").annotate(avg=Avg("value")).order_by():
            value = Decimal(str(row["avg"])).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            averages[row["item_id"]][str(row["criterion_id"])] = str(value)
        results = list(Result.objects.filter(item__forum=forum).only("pk", "item_id"))
        for result in results:
            result.averages = averages.get(result.item_id, {})
        Result.objects.bulk_update(results, ["averages"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0006_one_event_log"),
        ("forum", "0008_forum_attendance_scores_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="result",
            name="averages",
            field=models.JSONField(
                blank=True, default=dict, verbose_name="rata-rata per kriteria saat Hitung"
            ),
        ),
        migrations.RunPython(fill_averages, migrations.RunPython.noop),
    ]
