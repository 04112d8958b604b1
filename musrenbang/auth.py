"""Authentication backend that loads a user's places with the user.

Every page's navigation and permission checks read ``user.subdistrict``, ``user.village``,
``user.agency`` and ``user.regency``; loading them in the same query as the user keeps each page
one query cheaper per place.
"""

from django.contrib.auth.backends import ModelBackend

from musrenbang.models import User


class PlacesBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related(
                "regency", "subdistrict__regency", "village__subdistrict", "agency__regency"
            ).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
