"""Atomic file writes: write to a temporary name in the same folder, then rename.

A reader of `path` sees either the previous complete file or the new complete file, never a
half-written one, whatever happens to the writer (exception, Ctrl-C, SIGKILL, power loss after
the rename). A temporary file is named `.<name>~<host>~<pid>~<token>.part`; one left behind by a
writer that died (same host, process gone) is removed by the next write to `path` or by
`remove_orphans(path)`.
"""

import contextlib
import os
import secrets
import socket
from pathlib import Path

_SUFFIX = ".part"
_SEP = "~"


@contextlib.contextmanager
def atomic_path(path):
    """Context manager yielding a temporary path that replaces `path` when the block succeeds.

    Write the whole file to the yielded path (any writer: `open`, `np.savez`, `meshio.write`,
    `fig.savefig(..., format=...)`). On success it is flushed to disk and renamed over `path`
    (`os.replace`, atomic on POSIX and Windows); on any exception, including
    `KeyboardInterrupt`, it is deleted and `path` is left as it was. Parent folders are created.

    Args:
        path: the file to write.

    Yields:
        The temporary `Path` to write to (same folder, so the rename never crosses devices).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_orphans(path)
    tmp = path.with_name(
        f".{path.name}{_SEP}{_host()}{_SEP}{os.getpid()}{_SEP}{secrets.token_hex(4)}{_SUFFIX}"
    )
    try:
        yield tmp
        _fsync(tmp)
        os.replace(tmp, path)
        _fsync_folder(path.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_bytes_atomic(path, data: bytes) -> Path:
    """Write `data` to `path` atomically (see `atomic_path`); returns `Path(path)`."""
    path = Path(path)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path


def remove_orphans(path) -> list[Path]:
    """Delete temporary files of `path` left by writers on this host that no longer run.

    Temporary files of live writers (this process included) and of other hosts are kept.

    Args:
        path: the target file whose temporaries to look for.

    Returns:
        The paths removed.
    """
    path = Path(path)
    removed = []
    if not path.parent.is_dir():
        return removed
    host = _host()
    for candidate in path.parent.glob(f".{_glob_escape(path.name)}{_SEP}*{_SUFFIX}"):
        parts = candidate.name[len(path.name) + 2 : -len(_SUFFIX)].split(_SEP)
        if len(parts) != 3 or parts[0] != host or not parts[1].isdigit():
            continue
        if not _alive(int(parts[1])):
            with contextlib.suppress(FileNotFoundError):
                candidate.unlink()
                removed.append(candidate)
    return removed


def _host() -> str:
    return socket.gethostname().replace(_SEP, "-") or "host"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        pass
    return True


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def _fsync(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
