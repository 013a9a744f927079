"""One writer per database: a second RoasterDesk gets a clear message, a dead one leaves no lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from roasterdesk.services.lock import AlreadyOpenError, WriterLock, lock_path_for

HOLD = textwrap.dedent("""
    import sys, time
    from roasterdesk.services.lock import WriterLock
    lock = WriterLock(sys.argv[1]).acquire()
    print("held", flush=True)
    time.sleep(60)
""")


def test_a_writer_in_another_process_is_refused_with_the_holder_named(db_path):
    with WriterLock(db_path, "roasterdesk import"):
        probe = subprocess.run(
            [sys.executable, "-c", "import sys; from roasterdesk.services.lock import "
             "WriterLock; WriterLock(sys.argv[1]).acquire()", str(db_path)],
            capture_output=True, text=True)
    assert "already open in RoasterDesk on this computer" in probe.stderr
    assert f"(roasterdesk import, process {os.getpid()})" in probe.stderr
    with WriterLock(db_path) as again:  # released: free again
        assert again.held


def test_a_killed_holder_leaves_no_stale_lock(db_path):
    child = subprocess.Popen([sys.executable, "-c", HOLD, str(db_path)], stdout=subprocess.PIPE,
                             text=True)
    try:
        assert child.stdout.readline().strip() == "held"
        with pytest.raises(AlreadyOpenError, match=f"process {child.pid}"):
            WriterLock(db_path).acquire()
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
    assert lock_path_for(db_path).exists()  # the file stays, the lock does not
    with WriterLock(db_path) as lock:
        assert lock.held


@pytest.mark.gui
def test_a_second_app_gets_already_open_on_this_computer(qtbot, db_path):
    from roasterdesk.ui.lock import AppLock, app_lock_path

    first = AppLock(db_path).acquire()
    try:
        with pytest.raises(AlreadyOpenError, match="already open in RoasterDesk on this computer"):
            AppLock(db_path).acquire()
        with pytest.raises(AlreadyOpenError):  # headless writes are refused too
            WriterLock(db_path).acquire()
    finally:
        first.release()
    # a lock file left by a process that no longer exists is stale and taken over
    app_lock_path(db_path).write_text("999999999\nroasterdesk\n" + os.uname().nodename + "\n")
    second = AppLock(db_path).acquire()
    assert second.held
    second.release()
