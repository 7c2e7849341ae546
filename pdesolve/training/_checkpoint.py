"""Atomic checkpoints of the training state (parameters, optimiser state, step, histories)."""

import os
import pickle
import tempfile
from pathlib import Path

import jax
import numpy as np


def save_checkpoint(path, state: dict) -> Path:
    """Write `state` (a pytree of arrays plus plain Python values) to `path` atomically.

    The file is written to a temporary name in the same folder, flushed to disk and renamed
    over `path`, so a crash never leaves a half-written checkpoint.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    host = jax.tree_util.tree_map(np.asarray, state)
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
    return path


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
