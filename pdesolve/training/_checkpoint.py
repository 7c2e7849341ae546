"""Atomic checkpoints of the training state (parameters, optimiser state, step, histories)."""

import os
import pickle
import tempfile
from pathlib import Path

import jax
from jax.experimental import multihost_utils

from ..parallel import to_host


def save_checkpoint(path, state: dict) -> Path:
    """Write `state` (a pytree of arrays plus plain Python values) to `path` atomically.

    The file is written to a temporary name in the same folder, flushed to disk and renamed
    over `path`, so a crash never leaves a half-written checkpoint. Arrays replicated over
    devices or processes are saved from this process's copy; in a multi-process run only
    process 0 writes, and every process returns once the file is in place, so all of them can
    resume from it (`path` must be on a file system they share).
    """
    path = Path(path)
    host = jax.tree_util.tree_map(to_host, state)
    if jax.process_index() == 0:
        _write(path, host)
    if jax.process_count() > 1:
        multihost_utils.sync_global_devices(f"pdesolve checkpoint {path}")
    return path


def _write(path: Path, host) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(host, f, protocol=pickle.HIGHEST_PROTOCOL)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def load_checkpoint(path) -> dict:
    """Read a checkpoint written by `save_checkpoint`.

    Raises:
        FileNotFoundError: no file at `path`.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no checkpoint at {path}; check resume= or train without it.")
    with open(path, "rb") as f:
        return pickle.load(f)
