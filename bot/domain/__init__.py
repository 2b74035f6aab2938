"""Domain rules of the job-search plan: weeks, streaks, targets and scores. Pure functions."""
