"""Fault points for crash tests: ``ROASTERDESK_FAULT=<name>`` makes the process kill itself
(SIGKILL, no clean-up) at the named moment of a multi-step file operation, so that a test can
prove the next start finds either the old state or the new one. Unset, it costs one lookup."""

from __future__ import annotations

import os
import signal

FAULT_ENV = "ROASTERDESK_FAULT"


def fault_point(name: str) -> None:
    if os.environ.get(FAULT_ENV) == name:  # pragma: no cover - the process ends here
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
