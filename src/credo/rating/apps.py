from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingConfig(AppConfig):
    name = "credo.rating"
    label = "rating"
    verbose_name = _("Credit file and rating")
