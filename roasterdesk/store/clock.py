"""The hybrid logical clock of the change log (:mod:`roasterdesk.store.changes`).

A clock reads ``"<ms:015d>-<counter:06d>-<device>"``: wall-clock milliseconds, a counter, the
device id. It increases on this device even if the wall clock goes back, and sorts as text.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class Clock:
    """A hybrid logical clock: wall-clock milliseconds, then a counter for events within the
    same millisecond (or while the wall clock lags a time already seen), then the device."""

    def __init__(self, device: str, last: str | None,
                 wall: Callable[[], int] = lambda: int(time.time() * 1000)) -> None:
        self.device = device
        self.wall = wall
        self.ms, self.counter = _parse(last) if last else (0, 0)

    def tick(self) -> str:
        pt = self.wall()
        if pt > self.ms:
            self.ms, self.counter = pt, 0
        else:
            self.counter += 1
        return self.now()

    def observe(self, remote: str) -> None:
        """Move past a clock seen on another device (applying its change)."""
        rms, rc = _parse(remote)
        if (rms, rc) > (self.ms, self.counter):
            self.ms, self.counter = rms, rc

    def now(self) -> str:
        return f"{self.ms:015d}-{self.counter:06d}-{self.device}"


def _parse(hlc: str) -> tuple[int, int]:
    ms, counter, *_ = hlc.split("-", 2)
    return int(ms), int(counter)

