"""The Slack adapter: slash commands, modals, DMs and App Home on slack-bolt's async app.

Importing this package is cheap; slack_bolt and slack_sdk load only in the modules that need them.
"""
