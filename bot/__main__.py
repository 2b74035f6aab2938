"""`python -m bot` is the same as the `offerbound` command."""

from bot.cli import main

main()
