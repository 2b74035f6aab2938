"""The member's planned week as a calendar: the 40-hour template and the iCalendar feed."""
