"""Invite codes for cohorts that members join by name and code (``join=code``).

A code is what a coach shares with their own graduates (in class, by email), so that a cohort's
name alone, which anyone in the workspace can see or guess, is not enough to join it and read
the cohort's summaries. Codes avoid look-alike characters so they can be read aloud and typed
from a slide; matching ignores case, spaces and dashes, and compares in constant time.
"""

from __future__ import annotations

import hmac
import secrets

from storage.models import Cohort

JOIN_MODES = ("open", "code", "approval")
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
LENGTH = 8  # 31**8 ≈ 8.5e11 codes: out of reach at the command rate limit


def new_code() -> str:
    """A fresh random code, shown as ``ABCD-2345``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalized(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def matches(typed: str, code: str) -> bool:
    """Whether ``typed`` is ``code`` (an empty code matches nothing)."""
    if not code:
        return False
    return hmac.compare_digest(normalized(typed).encode(), normalized(code).encode())


def describe_mode(cohort: Cohort) -> str:
    return {
        "open": "open: anyone here can join by name",
        "code": f"by invite code {cohort.invite_code}",
        "approval": "a coach approves each request",
    }.get(cohort.join_mode, cohort.join_mode)


def set_join_mode(cohort: Cohort, mode: str) -> None:
    """Switch modes; a cohort that starts using codes gets one."""
    cohort.join_mode = mode
    if mode == "code" and not cohort.invite_code:
        cohort.invite_code = new_code()


def how_to_join(cohort: Cohort) -> str:
    """The join line a coach shares, per the cohort's mode (the code only for coaches' eyes)."""
    if cohort.join_mode == "code":
        return f'/cohort join "{cohort.name}" code={cohort.invite_code}'
    return f'/cohort join "{cohort.name}"'
