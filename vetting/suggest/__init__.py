"""`vetting suggest`: the smallest slate change from the reserve pool (see plan.py)."""
