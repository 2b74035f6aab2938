"""`python -m offerbound` is the same as the `offerbound` command."""

from offerbound.cli import main

main()
