"""The SERVQUAL instrument: the built-in default on first read, new versions on save (the old ones kept),
weights or points checked, items keyed, audit, permissions."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credo.core.models import AuditEntry
from credo.servqual import rules, services
from credo.servqual.models import InstrumentVersion, Item

pytestmark = pytest.mark.django_db


def items_of(version) -> dict[str, list[dict]]:
    return {d.code: [{"key": i.key, "text_zh": i.text_zh, "text_en": i.text_en} for i in d.items.all()]
            for d in version.dimensions.prefetch_related("items")}


def test_the_default_has_22_items_in_both_languages_and_equal_weights(clock):
    clock.set(datetime.date(2026, 6, 15))
    version = services.in_force()
    assert version.builtin and version.valid_from <= clock.today
    counts = {d.code: d.items.count() for d in version.dimensions.all()}
    assert counts == {"tangibles": 4, "reliability": 5, "responsiveness": 4, "assurance": 4, "empathy": 5}
    assert all(i.text_zh and i.text_en for i in Item.objects.filter(dimension__version=version))
    assert sum(services.weights_of(version).values()) == 1
    assert services.ensure_defaults() == version and InstrumentVersion.objects.count() == 1


def test_saving_makes_a_new_version_and_keeps_the_old(world, clock):
    clock.set(datetime.date(2026, 6, 15))
    first = services.in_force()
    items = items_of(first)
    items["empathy"] = items["empathy"][:3]                                     # remove two
    items["tangibles"].reverse()                                                  # reorder
    items["tangibles"].append({"text_zh": "网站易用。", "text_en": "The website is easy to use."})   # add
    version = services.save_instrument(
        world.admin, points={"tangibles": 10, "reliability": 30, "responsiveness": 20, "assurance": 25,
                             "empathy": 15}, items=items, note="2026 review")
    assert services.in_force(clock.today) == version
    assert services.in_force(datetime.date(2026, 6, 14)) == first                 # the past keeps its version
    assert services.weights_of(version)["assurance"] == Decimal("0.25")
    keys = [i.key for i in version.dimensions.get(code="tangibles").items.all()]
    assert keys == ["T4", "T3", "T2", "T1", "T5"]
    assert version.dimensions.get(code="empathy").items.count() == 3
    assert first.dimensions.get(code="empathy").items.count() == 5              # unchanged
    entry = AuditEntry.objects.get(action=services.AUDIT_ACTION)
    assert len(services.AUDIT_ACTION) <= 10
    assert entry.user == world.admin and entry.object_id == str(version.pk) and entry.reason == "2026 review"
    assert entry.before["id"] == first.pk and entry.after["points"]["assurance"] == "25"
    assert entry.after["dimensions"][0]["weight"] == "0.100000"


def test_a_later_save_the_same_day_wins_and_a_planned_version_waits(world, clock):
    clock.set(datetime.date(2026, 6, 15))
    items = items_of(services.in_force())
    one = services.save_instrument(world.admin, weights=rules.DIMENSIONS and {d: "0.2" for d in rules.DIMENSIONS},
                                   items=items)
    two = services.save_instrument(world.admin, weights={**{d: "0.2" for d in rules.DIMENSIONS},
                                                         "tangibles": "0.1", "empathy": "0.3"}, items=items)
    planned = services.save_instrument(world.admin, weights={d: "0.2" for d in rules.DIMENSIONS}, items=items,
                                       valid_from=datetime.date(2026, 7, 1))
    assert services.in_force() == two != one
    assert services.in_force(datetime.date(2026, 7, 1)) == planned


@pytest.mark.parametrize("entry, field, words", [
    ({"weights": {d: "0.25" for d in rules.DIMENSIONS}}, "weights", "1.25"),
    ({"weights": {d: "0.25" for d in rules.DIMENSIONS[:4]}}, "weights", "移情性"),
    ({"points": {d: 25 for d in rules.DIMENSIONS}}, "points", "100"),
    ({"weights": {d: "0.2" for d in rules.DIMENSIONS}, "points": {d: 20 for d in rules.DIMENSIONS}}, "weights", ""),
    ({}, "weights", ""),
    ({"weights": {**{d: "0.2" for d in rules.DIMENSIONS}, "tangibles": "0.1999999", "empathy": "0.2000001"}},
     "weights", "6"),
])
def test_bad_weights_name_the_field_and_save_nothing(world, clock, entry, field, words):
    clock.set(datetime.date(2026, 6, 15))
    items = items_of(services.in_force())
    with pytest.raises(ValidationError) as caught:
        services.save_instrument(world.admin, items=items, **entry)
    assert list(caught.value.message_dict) == [field]
    assert words in " ".join(caught.value.message_dict[field])
    assert InstrumentVersion.objects.count() == 1 and not AuditEntry.objects.exists()


@pytest.mark.parametrize("change, field", [
    (lambda items: items.update(empathy=[]), "items"),
    (lambda items: items["tangibles"][0].update(text_en="  "), "items"),
    (lambda items: items["tangibles"][1].update(key="T1"), "items"),
    (lambda items: items.update(price=[{"text_zh": "价", "text_en": "price"}]), "items"),
    (lambda items: items["reliability"].extend([{"text_zh": "x", "text_en": "x"}] * 8), "items"),
])
def test_bad_items_name_the_field(world, clock, change, field):
    clock.set(datetime.date(2026, 6, 15))
    items = items_of(services.in_force())
    change(items)
    with pytest.raises(ValidationError) as caught:
        services.save_instrument(world.admin, weights={d: "0.2" for d in rules.DIMENSIONS}, items=items)
    assert list(caught.value.message_dict) == [field]
    assert InstrumentVersion.objects.count() == 1


def test_a_version_cannot_start_in_the_past(world, clock):
    clock.set(datetime.date(2026, 6, 15))
    items = items_of(services.in_force())
    with pytest.raises(ValidationError) as caught:
        services.save_instrument(world.admin, weights={d: "0.2" for d in rules.DIMENSIONS}, items=items,
                                 valid_from="2026-06-14")
    assert list(caught.value.message_dict) == ["valid_from"]


@pytest.mark.parametrize("who", ["sales_east", "manager_east", "credit", "finance", "service", "executive"])
def test_only_administrators_change_the_instrument(world, clock, who):
    clock.set(datetime.date(2026, 6, 15))
    items = items_of(services.in_force())
    with pytest.raises(PermissionDenied):
        services.save_instrument(getattr(world, who), weights={d: "0.2" for d in rules.DIMENSIONS}, items=items)
    assert InstrumentVersion.objects.count() == 1
