"""One durable write for every file the kiosk keeps outside the journal.

Temp file in the same folder, fsync, rename over the old file, fsync the folder: a reader (or
the kiosk after a power cut) sees the old file or the new one, never a mix, and a rename that
was reported done survives the cut. It sits in the lowest floor that writes files (the trust
store), so every floor above can use it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

PRIVATE = 0o600  # every file the kiosk keeps is its user's alone (docs/security.md)


def write_atomically(
    path: Path, data: bytes, *, mode: int = PRIVATE, exclusive: bool = False
) -> None:
    """Replace `path` with `data`, made with `mode` whatever the umask.

    `exclusive` makes the file only where none is: a secret made once is never replaced by a
    second writer's (FileExistsError then; read the file that won)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            if hasattr(os, "fchmod"):  # POSIX; mkstemp made it 0600 anyway
                os.fchmod(f.fileno(), mode)
            os.fsync(f.fileno())
        if exclusive:
            os.link(tmp, path)  # fails where a file already is, unlike a rename
        else:
            os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)  # gone after a rename; the extra name after a link
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; elsewhere the rename is as durable as it gets)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
