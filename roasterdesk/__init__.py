"""RoasterDesk: producers, visits, lots and the price chain, kept offline for coffee buyers."""

import time as _time

__version__ = "0.2.0"
STARTED = _time.perf_counter()  # the package's first import: start-up marks count from here
