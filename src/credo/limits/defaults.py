"""The company's starting limit tables (SPEC §5.6), edited in the admin afterwards as new versions.

Numbers are strings so that they stay exact Decimals in JSON. Bands are rows {"up_to": bound or null, …}:
a row holds the values above the previous row's bound up to and including its own; the last row is open.
"""

import copy
import datetime

VALID_FROM = datetime.date(2000, 1, 1)
STANDARD_CREDIT_DAYS = 30

# Table 3-7: evaluation value → empirical percentage (the standard working-capital model).
EVALUATION_TABLE = [
    {"up_to": "-4.6", "percentage": "0"},
    {"up_to": "-3.9", "percentage": "2.5"},
    {"up_to": "-3.2", "percentage": "5.0"},
    {"up_to": "-2.5", "percentage": "7.5"},
    {"up_to": "-1.8", "percentage": "10.0"},
    {"up_to": "-1.1", "percentage": "12.5"},
    {"up_to": "-0.4", "percentage": "15.0"},
    {"up_to": "0.3", "percentage": "17.5"},
    {"up_to": "1.0", "percentage": "20.0"},
    {"up_to": "1.7", "percentage": "22.5"},
    {"up_to": None, "percentage": "25.0"},
]

# Table 3-8: adjustment in % by grade; high_adjustment applies when the figure looks high for the grade
# (null: no adjustment — review the statements and recompute). D cancels the limit; NR gives no
# recommendation: both are fixed in the rules, not rows here.
GRADE_CORRECTIONS = [
    {"grade": "AA", "adjustment": "50", "high_adjustment": None},
    {"grade": "A", "adjustment": "20", "high_adjustment": None},
    {"grade": "BB", "adjustment": "0", "high_adjustment": "-20"},
    {"grade": "B", "adjustment": "-20", "high_adjustment": "-50"},
    {"grade": "C", "adjustment": "-20", "high_adjustment": "-80"},
]

# When the limit of table 3-7 "fits" the grade: the band of percentages that statements of a customer of that
# grade normally give, and an optional ceiling in yuan. Outside the band the statements and the grade
# disagree, and the result asks to review the statements and recompute (it never adjusts by itself).
GRADE_FIT = [
    {"grade": "AA", "min_percentage": "17.5", "max_percentage": "25", "max_limit": None},
    {"grade": "A", "min_percentage": "12.5", "max_percentage": "25", "max_limit": None},
    {"grade": "BB", "min_percentage": "7.5", "max_percentage": "22.5", "max_limit": None},
    {"grade": "B", "min_percentage": "2.5", "max_percentage": "17.5", "max_limit": None},
    {"grade": "C", "min_percentage": "0", "max_percentage": "12.5", "max_limit": None},
]

# Table 3-10: risk correction factor by grade, in %.
GRADE_FACTORS = [
    {"grade": "AA", "percentage": "100"},
    {"grade": "A", "percentage": "80"},
    {"grade": "BB", "percentage": "50"},
    {"grade": "B", "percentage": "10"},
    {"grade": "C", "percentage": "0"},
    {"grade": "D", "percentage": "0"},
]

# Table 3-11: risk correction factor by credit record, overdue amount × days overdue in ¥·days.
RECORD_FACTORS = [
    {"up_to": "0", "percentage": "100"},
    {"up_to": "250000", "percentage": "80"},
    {"up_to": "500000", "percentage": "50"},
    {"up_to": "1000000", "percentage": "20"},
    {"up_to": "2000000", "percentage": "10"},
    {"up_to": None, "percentage": "0"},
]

# Collections method: weights of the monthly collections, newest month first.
COLLECTION_WEIGHTS = ["6", "5", "4", "3", "2", "1"]

# Revenue-tier method: the seed gives no numbers, so the tiers start empty and the method refuses to run
# until the company sets them up (rows {"up_to": annual revenue or null, "base_limit": yuan}).
REVENUE_TIERS: list = []
ASSESSMENT_ITEMS = [
    {"code": "revenue", "weight": "1"},
    {"code": "goodwill", "weight": "1"},
    {"code": "years_in_business", "weight": "1"},
    {"code": "management", "weight": "1"},
    {"code": "professional", "weight": "1"},
]
LEVEL_PERCENTAGES = [
    {"level": 1, "percentage": "100"},
    {"level": 2, "percentage": "80"},
    {"level": 3, "percentage": "60"},
    {"level": 4, "percentage": "40"},
    {"level": 5, "percentage": "20"},
]

TABLES = {
    "evaluation_table": EVALUATION_TABLE,
    "grade_corrections": GRADE_CORRECTIONS,
    "grade_fit": GRADE_FIT,
    "grade_factors": GRADE_FACTORS,
    "record_factors": RECORD_FACTORS,
    "collection_weights": COLLECTION_WEIGHTS,
    "revenue_tiers": REVENUE_TIERS,
    "assessment_items": ASSESSMENT_ITEMS,
    "level_percentages": LEVEL_PERCENTAGES,
}


def table(name: str):
    """A fresh copy of a default table (model field defaults must not share one list)."""
    return copy.deepcopy(TABLES[name])


def ensure_defaults(policy_model=None):
    """Create the default policy version when there is none; an existing table is left alone."""
    if policy_model is None:
        from .models import LimitPolicy as policy_model
    if policy_model.objects.exists():
        return None
    return policy_model.objects.create(valid_from=VALID_FROM, standard_credit_days=STANDARD_CREDIT_DAYS,
                                       created_by="system", note="SPEC §5.6 defaults",
                                       **{name: table(name) for name in TABLES})
