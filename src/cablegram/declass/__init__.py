"""Declassification: schedules from E.O. lines and the 25-year rule, as-of views."""

from cablegram.declass.schedule import Schedule, ScheduleKind, schedule

__all__ = ["Schedule", "ScheduleKind", "schedule"]
