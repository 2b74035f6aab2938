"""Scheduled prompts: what is due when (plan), what it says (prompts), and getting it delivered."""
