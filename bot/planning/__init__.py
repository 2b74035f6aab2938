"""Pure planning rules: the backwards plan, the hiring funnel, the planned week, the review page."""
