from django.apps import AppConfig


class ScoringConfig(AppConfig):
    """Criteria, scores, ranking, decisions and sending to the OPDs."""

    name = "scoring"
    verbose_name = "Skoring"
