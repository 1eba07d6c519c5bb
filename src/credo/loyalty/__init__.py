"""Loyalty indicators computed from the ledger (SPEC §8.3–§8.4): repurchase rate, complaint rate, average
transaction, price sensitivity, tolerance of quality incidents, share of wallet, repeat-purchase rate, the
loyalty stage by editable rules, and RFM.

Not yet fed elsewhere: the value segments pick "most growable" by growth gap (potential − sales, segments.rules)
and offer no hook for further inputs (segments.costs.COST_SOURCES is for costs only); loyalty reads the same
potential for the share of wallet. When segments grows such a hook, figures.customer_figures is the input to
give it. Survey figures (reputation, brand recall, satisfaction) join rules.STAGE_METRICS when the surveys exist.
"""
