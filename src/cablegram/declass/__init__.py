"""Declassification: schedules from E.O. lines and the 25-year rule, reports and the
review queue."""

from cablegram.declass.report import Entry, releasable_in, review_queue
from cablegram.declass.schedule import Schedule, ScheduleKind, schedule

__all__ = ["Entry", "Schedule", "ScheduleKind", "releasable_in", "review_queue", "schedule"]
