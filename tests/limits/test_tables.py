"""The editable tables: defaults from the migration, versions by date, and validation naming table and row."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from credo.limits import defaults, queries
from credo.limits.models import LimitPolicy

pytestmark = pytest.mark.django_db


def test_the_migration_created_the_default_version():
    policy = LimitPolicy.objects.get()
    assert policy.valid_from == defaults.VALID_FROM and policy.standard_credit_days == 30
    assert policy.evaluation_table[-1] == {"up_to": None, "percentage": "25.0"}
    assert policy.revenue_tiers == []
    policy.full_clean()


def test_ensure_defaults_when_the_table_was_flushed():
    LimitPolicy.objects.all().delete()
    unsaved = queries.policy_in_force()
    assert unsaved.pk is None and unsaved.standard_credit_days == 30  # a what-if never writes
    assert not LimitPolicy.objects.exists()
    saved = queries.saved_policy_in_force()
    assert saved.pk and LimitPolicy.objects.count() == 1
    assert defaults.ensure_defaults() is None and LimitPolicy.objects.count() == 1


def test_the_version_in_force_on_a_date():
    newer = LimitPolicy.objects.create(valid_from=datetime.date(2026, 1, 1), standard_credit_days=45)
    assert queries.policy_in_force(datetime.date(2025, 12, 31)).valid_from == defaults.VALID_FROM
    assert queries.policy_in_force(datetime.date(2026, 1, 1)) == newer


def _policy(**changes):
    policy = LimitPolicy.default()
    policy.valid_from = datetime.date(2030, 1, 1)
    for name, value in changes.items():
        setattr(policy, name, value)
    return policy


@pytest.mark.parametrize("field, value, words", [
    ("evaluation_table", [{"up_to": "1", "percentage": "10"}, {"up_to": "0", "percentage": "20"},
                          {"up_to": None, "percentage": "30"}], ["table 3-7", "row 2", "greater than"]),
    ("evaluation_table", [{"up_to": "1", "percentage": "10"}, {"up_to": "2", "percentage": "20"}],
     ["row 2", "open"]),
    ("evaluation_table", [{"up_to": "1", "percentage": "30"}, {"up_to": None, "percentage": "20"}],
     ["row 2", "may not fall"]),
    ("evaluation_table", [{"up_to": "x", "percentage": "10"}, {"up_to": None, "percentage": "20"}],
     ["row 1", "up_to must be a number"]),
    ("evaluation_table", [], ["no rows"]),
    ("evaluation_table", {"up_to": 1}, ["JSON list"]),
    ("grade_corrections", [{"grade": "AAA", "adjustment": "10"}], ["table 3-8", "row 1", "grade must be"]),
    ("grade_corrections", [{"grade": "A", "adjustment": "-150"}], ["row 1", "adjustment must be at least -100"]),
    ("grade_corrections", [{"grade": "A", "adjustment": "10"}, {"grade": "A", "adjustment": "20"}],
     ["row 2", "appears twice"]),
    ("grade_fit", [{"grade": "A", "min_percentage": "20", "max_percentage": "10"}], ["row 1", "min_percentage"]),
    ("grade_factors", [{"grade": "AA", "percentage": "100"}], ["table 3-10", "grade A has no row"]),
    ("grade_factors", [{"grade": g, "percentage": "120" if g == "B" else "10"} for g in ("AA", "A", "BB", "B", "C", "D")],
     ["row 4", "at most 100"]),
    ("record_factors", [{"up_to": "0", "percentage": "50"}, {"up_to": None, "percentage": "80"}],
     ["table 3-11", "row 2", "may not rise"]),
    ("collection_weights", ["6", "-1"], ["row 2", "at least 0"]),
    ("collection_weights", ["0", "0"], ["add up to more than 0"]),
    ("revenue_tiers", [{"up_to": "1000000", "base_limit": "50000"}], ["Revenue tiers", "row 1", "open"]),
    ("assessment_items", [{"code": "honesty", "weight": "1"}], ["row 1", "label"]),
    ("level_percentages", [{"level": 0, "percentage": "100"}], ["row 1", "level must be"]),
])
def test_bad_tables_are_refused_naming_table_and_row(field, value, words):
    with pytest.raises(ValidationError) as exc:
        _policy(**{field: value}).full_clean()
    message = " ".join(exc.value.message_dict[field])
    for word in words:
        assert word in message, message


def test_good_custom_tables_pass_and_numbers_may_be_json_numbers():
    _policy(revenue_tiers=[{"up_to": 1000000, "base_limit": 50000}, {"up_to": None, "base_limit": 200000}],
            assessment_items=[{"code": "revenue", "weight": 2}, {"code": "honesty", "weight": 1, "label": "诚信"}],
            collection_weights=[3, 2, 1]).full_clean()


def test_standard_credit_days_at_least_one():
    with pytest.raises(ValidationError) as exc:
        _policy(standard_credit_days=0).full_clean()
    assert "standard_credit_days" in exc.value.message_dict


def test_admin_refuses_a_bad_table_and_audits_a_good_version(client, django_user_model):
    import json

    from credo.core.models import AuditEntry

    boss = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-boss-123")
    client.force_login(boss)
    form = {"valid_from": "2031-01-01", "standard_credit_days": "45", "note": "",
            **{name: json.dumps(defaults.table(name)) for name in defaults.TABLES}}
    bad = client.post("/admin/limits/limitpolicy/add/", {**form, "grade_factors": json.dumps([{"grade": "AA",
                                                                                             "percentage": "100"}])})
    assert bad.status_code == 200 and "grade A has no row" in bad.text
    good = client.post("/admin/limits/limitpolicy/add/", form)
    assert good.status_code == 302
    policy = LimitPolicy.objects.get(valid_from=datetime.date(2031, 1, 1))
    assert policy.created_by == "boss" and policy.standard_credit_days == 45
    assert AuditEntry.objects.filter(object_type="limits.limitpolicy", object_id=str(policy.pk)).exists()
