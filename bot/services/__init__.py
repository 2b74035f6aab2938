"""Use cases and read models shared by commands, scheduled prompts, exports and the web pages.

Commands and scheduling never import each other; what both need (the week's figures against
the cohort's targets, the follow-ups due, a new application with its first stage, queueing a
prompt) lives here once.
"""
