"""Offerbound's platform-neutral core: commands, domain rules, forms and replies."""

__version__ = "0.1.0"
