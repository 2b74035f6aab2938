"""The console adapter: the whole bot in a terminal, and the main test harness."""

from adapters.console.adapter import ConsoleAdapter

__all__ = ["ConsoleAdapter"]
