"""GitHub practice days: a member's public commits count as practice without typing /practice."""
