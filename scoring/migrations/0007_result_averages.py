"""Result.averages: the per-criterion averages of the last Hitung, shown by the ranking.

Results written before this migration get the averages of the scores as they stand now, over
the sheets that count (the camat in single mode, the registered scorers in multiple mode), as
``scoring.services.compute`` takes them; the next Hitung writes them anew anyway. Results of a
sent forum are filled the same way: their scores are locked, so these are the averages their
totals were weighted from.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import migrations, models
from django.db.models import Avg


def fill_averages(apps, schema_editor):
    Result = apps.get_model("scoring", "Result")
    Score = apps.get_model("scoring", "Score")
    Scorer = apps.get_model("scoring", "Scorer")
    Forum = apps.get_model("forum", "Forum")
    User = apps.get_model("musrenbang", "User")
    forum_ids = Result.objects.values_list("item__forum_id", flat=True).distinct()
    for forum in Forum.objects.filter(pk__in=list(forum_ids)):
        if forum.scoring_mode == "banyak":
            scorers = Scorer.objects.filter(forum=forum).values_list("user_id", flat=True)
        else:
            scorers = User.objects.filter(
                role="camat", subdistrict_id=forum.subdistrict_id, is_active=True
            ).values_list("pk", flat=True)
        averages = defaultdict(dict)
        rows = (
            Score.objects.filter(item__forum=forum, criterion__forum=forum, scorer_id__in=scorers)
            .values("item_id", "criterion_id")
            .annotate(avg=Avg("value"))
            .order_by()
        )
        for row in rows:
            value = Decimal(str(row["avg"])).quantize(Decimal("0.01"))
            averages[row["item_id"]][str(row["criterion_id"])] = str(value)
        results = list(Result.objects.filter(item__forum=forum).only("pk", "item_id"))
        for result in results:
            result.averages = averages.get(result.item_id, {})
        Result.objects.bulk_update(results, ["averages"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0006_one_event_log"),
        ("forum", "0008_forum_attendance_scores_versions"),
        ("musrenbang", "0001_initial"),
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
