from __future__ import annotations

from pathlib import PurePosixPath as P
from pathlib import PureWindowsPath as W

import pytest

from roasterdesk.services.places import classify, linux_mounts, location_warning, warning_text

MOUNTS = linux_mounts(
    "/dev/sda1 / ext4 rw 0 0\n"
    "//nas/coffee /mnt/nas cifs rw 0 0\n"
    "server:/export /home/ana/shared nfs4 rw 0 0\n"
    "/dev/sdb1 /mnt/nas/usb ext4 rw 0 0\n"
    "ana@host:/data /home/ana/remote\\040box fuse.sshfs rw 0 0\n"
)


@pytest.mark.parametrize("path, kind, service", [
    (P("/home/ana/Dropbox/RoasterDesk/roasterdesk.sqlite"), "cloud", "Dropbox"),
    (P("/Users/ana/Dropbox (Team)/db.sqlite"), "cloud", "Dropbox"),
    (P("/Users/ana/Library/CloudStorage/Dropbox/db.sqlite"), "cloud", "Dropbox"),
    (P("/Users/ana/Library/Mobile Documents/com~apple~CloudDocs/db.sqlite"), "cloud",
     "iCloud Drive"),
    (P("/Users/ana/Library/CloudStorage/OneDrive-Personal/db.sqlite"), "cloud", "OneDrive"),
    (P("/Users/ana/Library/CloudStorage/GoogleDrive-ana@example.com/My Drive/db.sqlite"),
     "cloud", "Google Drive"),
    (W("C:/Users/Ana/OneDrive - Tostadores SL/Documents/db.sqlite"), "cloud", "OneDrive"),
    (W("C:/Users/Ana/iCloudDrive/db.sqlite"), "cloud", "iCloud Drive"),
    (W("G:/My Drive/RoasterDesk/db.sqlite"), "cloud", "Google Drive"),
    (W("\\\\nas\\coffee\\db.sqlite"), "network", "Windows share"),
    (P("/mnt/nas/roasterdesk.sqlite"), "network", "cifs"),
    (P("/home/ana/shared/db.sqlite"), "network", "nfs4"),
    (P("/home/ana/remote box/db.sqlite"), "network", "fuse.sshfs"),
    (P("/mnt/nas/usb/db.sqlite"), "local", ""),  # the longest mount point decides
    (P("/home/ana/.local/share/RoasterDesk/roasterdesk.sqlite"), "local", ""),
    (P("/home/ana/dropboxes/db.sqlite"), "local", ""),  # a name that only resembles one
    (W("C:/Users/Ana/AppData/Local/RoasterDesk/roasterdesk.sqlite"), "local", ""),
])
def test_classify(path, kind, service):
    v = classify(path, MOUNTS)
    assert (v.kind, v.service) == (kind, service)
    text = warning_text(path, v)
    assert (text == "") == v.safe
    if not v.safe:
        assert str(path) in text and "backups may go" in text


def test_a_real_local_folder_gets_no_warning(tmp_path):
    assert location_warning(tmp_path / "roasterdesk.sqlite") == ""
    cloud = tmp_path / "Dropbox" / "roasterdesk.sqlite"
    assert "inside a Dropbox folder" in location_warning(cloud)
