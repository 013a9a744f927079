from roasterdesk.xcb_check import XCB_PACKAGES, missing_packages, uses_xcb, xcb_advice

X11 = {"DISPLAY": ":0"}


def test_only_linux_with_xcb_is_checked():
    assert uses_xcb("linux", X11)
    assert uses_xcb("linux", {"QT_QPA_PLATFORM": "xcb"})
    assert not uses_xcb("linux", {"QT_QPA_PLATFORM": "offscreen", **X11})
    assert not uses_xcb("linux", {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"})
    assert not uses_xcb("darwin", X11)
    assert xcb_advice("win32", X11, loads=lambda _l: False) == ""


def test_every_missing_package_is_named_with_the_apt_line():
    gone = {"libxcb-icccm.so.4", "libxcb-cursor.so.0"}
    advice = xcb_advice("linux", X11, loads=lambda lib: lib not in gone)
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4\n" in advice
    assert " ".join(XCB_PACKAGES) in advice
    assert xcb_advice("linux", X11, loads=lambda lib: True) == ""


def test_the_real_loader_runs():
    assert isinstance(missing_packages(), list)
