"""What a member should follow up on: one read model for ``/followups``, the morning DM and pages.

Applications and contacts with a follow-up date on or before a day, oldest first (an
application before a contact on the same day), each with its id, what it is and the next step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.entities import APPLICATION, CONTACT
from bot.format import due_phrase
from bot.replies import Table
from storage.models import Application, Contact
from storage.repository import TenantRepository

COLUMNS = ("id", "what", "next step", "when")


@dataclass(frozen=True)
class FollowUp:
    """One thing to chase."""

    ref: str  # A3, C7
    what: str
    next_step: str
    due: date
    item: Application | Contact


async def due_followups(repo: TenantRepository, member_id: int, day: date) -> list[FollowUp]:
    """The member's follow-ups due on or before ``day``, oldest first."""
    apps, contacts = await repo.due_followups(member_id, day)
    items: list[Application | Contact] = [a for a in apps if a.follow_up is not None]
    items.extend(c for c in contacts if c.follow_up is not None)
    items.sort(key=lambda i: (i.follow_up, isinstance(i, Contact), i.number))
    return [_followup(i) for i in items]


def _followup(item: Application | Contact) -> FollowUp:
    assert item.follow_up is not None
    if isinstance(item, Application):
        return FollowUp(
            APPLICATION.label(item),
            APPLICATION.describe(item),
            item.next_step,
            item.follow_up,
            item,
        )
    return FollowUp(
        CONTACT.label(item), CONTACT.describe(item), item.next_step, item.follow_up, item
    )


def followups_table(title: str, items: list[FollowUp], today: date) -> Table:
    """The follow-ups as a table, each with how overdue (or soon due) it is."""
    return Table(
        title,
        COLUMNS,
        tuple((f.ref, f.what, f.next_step, due_phrase(f.due, today)) for f in items),
    )
