"""Before Qt starts on Linux with the xcb (X11) platform: are the libraries Qt's xcb plugin
needs installed? Qt's own message names one library, often the wrong one ("xcb-cursor0 is
needed" when libxcb-icccm4 is missing), and aborts; this names every missing package and gives
the README's apt line for them. No Qt here."""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

# Debian/Ubuntu package → the shared library the xcb plugin loads (README, "apt install")
XCB_PACKAGES: dict[str, str] = {
    "libegl1": "libEGL.so.1",
    "libxkbcommon0": "libxkbcommon.so.0",
    "libxkbcommon-x11-0": "libxkbcommon-x11.so.0",
    "libfontconfig1": "libfontconfig.so.1",
    "libxcb-cursor0": "libxcb-cursor.so.0",
    "libxcb-icccm4": "libxcb-icccm.so.4",
    "libxcb-image0": "libxcb-image.so.0",
    "libxcb-keysyms1": "libxcb-keysyms.so.1",
    "libxcb-randr0": "libxcb-randr.so.0",
    "libxcb-render-util0": "libxcb-render-util.so.0",
    "libxcb-shape0": "libxcb-shape.so.0",
    "libxcb-xinerama0": "libxcb-xinerama.so.0",
    "libxcb-xkb1": "libxcb-xkb.so.1",
}


def uses_xcb(platform: str = sys.platform, env: Mapping[str, str] = os.environ) -> bool:
    """Whether Qt will start with the xcb plugin (Linux, X11, no other platform chosen)."""
    if not platform.startswith("linux"):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(";")[0].split(":")[0] == "xcb"
    return bool(env.get("DISPLAY")) and not env.get("WAYLAND_DISPLAY")


def _loads(name: str) -> bool:
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def missing_packages(loads: Callable[[str], bool] = _loads) -> list[str]:
    return [pkg for pkg, lib in XCB_PACKAGES.items() if not loads(lib)]


def xcb_advice(platform: str = sys.platform, env: Mapping[str, str] = os.environ,
               loads: Callable[[str], bool] = _loads) -> str:
    """The message for what is missing, or "" when nothing is (or xcb is not used)."""
    if not uses_xcb(platform, env):
        return ""
    missing = missing_packages(loads)
    if not missing:
        return ""
    return ("RoasterDesk cannot open its window: the X11 libraries Qt needs are missing ("
            + ", ".join(missing) + "). Install them with:\n"
            "  sudo apt install " + " ".join(missing) + "\n"
            "(or the README's full line: sudo apt install " + " ".join(XCB_PACKAGES) + ")")
