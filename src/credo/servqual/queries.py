"""Reads of the SERVQUAL instrument: a version laid out for a page or the API, and the list of versions."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from . import services
from .models import InstrumentVersion


@dataclass
class DimensionView:
    code: str
    label: str
    weight: Decimal
    points: Decimal      # weight × 100, as an administrator may enter it
    items: list


def layout(version: InstrumentVersion) -> list[DimensionView]:
    """The five dimensions of a version in order, each with its items (Item rows, in order)."""
    rows = []
    for dimension in version.dimensions.prefetch_related("items").order_by("position"):
        rows.append(DimensionView(dimension.code, str(dimension.get_code_display()), dimension.weight,
                                  (dimension.weight * 100).normalize(), list(dimension.items.all())))
    return rows


def versions():
    """Every version, newest first, with its item count."""
    services.ensure_defaults()
    return InstrumentVersion.objects.annotate(item_count=Count("dimensions__items")).order_by("-valid_from", "-pk")


def in_force(on: datetime.date | None = None) -> InstrumentVersion:
    return services.in_force(on)


def weight_text(weight: Decimal) -> str:
    return f"{weight.normalize():f}"

