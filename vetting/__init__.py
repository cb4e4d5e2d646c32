"""vetting: a declarative policy linter for the candidate vetting of village and community 两委 elections."""

__version__ = "0.1.0"
