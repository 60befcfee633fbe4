"""Run ``python -m splitter ARGS`` with an audit hook logging every path it changes.

Usage: ``python audited.py LOG ARGS...``. Each line of LOG is ``event<TAB>path``
for every write-mode open, rename/replace, removal, folder creation or removal,
chmod, link and truncation the splitter process itself makes (Linux: paths
relative to an open folder are resolved through /proc).
"""

from __future__ import annotations

import atexit
import os
import runpy
import sys

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
CHANGES = {"os.rename", "os.remove", "os.mkdir", "os.rmdir", "os.chmod", "os.symlink", "os.link", "os.truncate"}
log_path, args = os.path.abspath(sys.argv[1]), sys.argv[2:]
changed: list[tuple[str, str]] = []


# Where each event's ``dir_fd`` argument is, for paths relative to an open folder (rmtree does that).
DIR_FD = {"os.remove": {0: 1}, "os.rmdir": {0: 1}, "os.mkdir": {0: 2}, "os.chmod": {0: 2}, "os.rename": {0: 2, 1: 3}}


def path_of(value: object, dir_fd: object) -> str | None:
    if not isinstance(value, (str, bytes, os.PathLike)):
        return None  # an open file descriptor: its opening was logged
    path = os.fsdecode(value)
    if isinstance(dir_fd, int) and dir_fd >= 0 and not os.path.isabs(path):
        return os.path.join(os.readlink(f"/proc/self/fd/{dir_fd}"), path)
    return os.path.abspath(path)


def hook(event: str, arguments: tuple[object, ...]) -> None:
    if event == "open":
        path, mode, flags = arguments
        writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & WRITE_FLAGS
        )
        positions = [0] if writes else []
    elif event in CHANGES:
        positions = [0, 1] if event == "os.rename" else [0]
    elif event == "shutil.rmtree":
        positions = [0]
    else:
        return
    for position in positions:
        fd_position = DIR_FD.get(event, {}).get(position)
        dir_fd = arguments[fd_position] if fd_position is not None and fd_position < len(arguments) else None
        path = path_of(arguments[position], dir_fd)
        if path is not None and path not in (log_path, os.devnull):
            changed.append((event, path))


def save() -> None:
    with open(log_path, "w", encoding="utf-8") as log:
        log.writelines(f"{event}\t{path}\n" for event, path in changed)


atexit.register(save)
sys.addaudithook(hook)
sys.argv = ["splitter", *args]
runpy.run_module("splitter", run_name="__main__", alter_sys=True)
