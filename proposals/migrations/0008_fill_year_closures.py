"""Record the closure of every kecamatan year whose forum was already sent.

From now on proposals read a year's closure from ``YearClosure`` (written when the forum is
sent); forums sent before this migration get their row here.
"""

from django.db import migrations
from django.utils import timezone


def fill(apps, schema_editor):
    Forum = apps.get_model("forum", "Forum")
    YearClosure = apps.get_model("proposals", "YearClosure")
    sent = Forum.objects.filter(state="terkirim").select_related("subdistrict")
    for forum in sent:
        YearClosure.objects.get_or_create(
            subdistrict_id=forum.subdistrict_id,
            year=forum.year,
            defaults={
                "closed_at": forum.sent_at or timezone.now(),
                "closed_by_id": forum.sent_by_id,
                "reason": (
                    f"Forum Musrenbang Kecamatan {forum.subdistrict.name} tahun {forum.year} "
                    "dikirim ke OPD."
                ),
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0007_year_closure"),
        ("forum", "0006_forum_version"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
