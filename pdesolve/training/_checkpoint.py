"""Checkpoints of a training state: safe archives, written atomically, the last k kept.

A checkpoint is a pdesolve archive (`pdesolve.io.write_archive`: `.npy` arrays plus a JSON
manifest with checksums; no pickle, so loading one cannot run code) holding the leaves of a
pytree, their key paths (e.g. `['params']['layers'][0]['w']`), the step and JSON metadata.
Saving to `path` first moves the previous files down a rotation `path` → `path.1` → … →
`path.<keep-1>`, then writes `path` atomically; an interrupted save therefore leaves at worst
`path` missing and `path.1` intact, and `latest_checkpoint` falls back to it.
"""

import dataclasses
import os
import warnings
from pathlib import Path
from typing import Any

import jax
import numpy as np
from jax.experimental import multihost_utils

from ..io import (
    FileFormatError,
    leaf_name,
    read_archive,
    remove_orphans,
    tree_arrays,
    tree_like,
    write_archive,
)

KIND = "checkpoint"
_MAX_KEEP = 100


@dataclasses.dataclass(frozen=True)
class Checkpoint:
    """A checkpoint read back.

    Attributes:
        path: the file it came from.
        step: the training step it holds.
        tree: the saved pytree (with the structure of `like` when one was given, else a dict
            key path -> numpy array).
        metadata: the JSON metadata saved with it.
    """

    path: Path
    step: int
    tree: Any
    metadata: dict


def checkpoint_paths(path, keep: int) -> list[Path]:
    """The rotation of `path`, newest first: `[path, path.1, …, path.<keep-1>]`."""
    path = Path(path)
    return [path] + [path.with_name(f"{path.name}.{k}") for k in range(1, keep)]


def save_checkpoint(path, tree, *, step: int, metadata: dict | None = None,
                    keep: int = 2) -> Path:
    """Write the arrays of `tree` with `step` and `metadata` to `path`, keeping `keep` files.

    Arrays replicated over devices or processes are saved from this process's copy; in a
    multi-process run only process 0 writes, and every process returns once the file is in
    place, so all of them can resume from it (`path` must be on a file system they share).

    Args:
        path: the newest checkpoint's file; older ones are `path.1`, … (see `checkpoint_paths`).
        tree: a pytree of arrays (e.g. parameters and optimiser state).
        step: the step the state belongs to.
        metadata: JSON data stored alongside (history, fingerprint, ...).
        keep: how many checkpoints to keep (≥ 1).

    Returns:
        `Path(path)`.

    Raises:
        ValueError: `keep` is not an int in 1..100.
    """
    path = Path(path)
    keep = check_keep(keep)
    arrays, paths = tree_arrays(tree)
    meta = {"step": int(step), "leaves": paths, "user": metadata or {}}
    if jax.process_index() == 0:
        _write(path, arrays, meta, keep)
    if jax.process_count() > 1:
        multihost_utils.sync_global_devices(f"pdesolve checkpoint {path}")
    return path


def _write(path: Path, arrays: dict, meta: dict, keep: int) -> None:
    rotation = checkpoint_paths(path, keep)
    for stale in path.parent.glob(f"{path.name}.*"):
        suffix = stale.name[len(path.name) + 1:]
        if suffix.isdigit() and int(suffix) >= keep:
            stale.unlink(missing_ok=True)
    for newer, older in zip(rotation[-2::-1], rotation[:0:-1], strict=True):
        if newer.exists():
            os.replace(newer, older)
    write_archive(path, arrays, meta, kind=KIND)


def load_checkpoint(path, like=None) -> Checkpoint:
    """Read the checkpoint at `path` (one file; see `latest_checkpoint` for the fallback).

    Args:
        path: the file.
        like: optional pytree with the structure, shapes and dtypes expected (e.g. freshly
            initialised parameters and optimiser state); the result has its structure.

    Returns:
        A `Checkpoint`.

    Raises:
        FileNotFoundError: no file at `path`.
        pdesolve.io.FileFormatError: empty, truncated, corrupted or foreign file.
        ValueError: the saved arrays do not match `like` (another network or optimiser).
    """
    arrays, meta = read_archive(path, kind=KIND)
    try:
        names, step, user = list(meta["leaves"]), int(meta["step"]), dict(meta["user"])
        leaves = [arrays[leaf_name(i)] for i in range(len(names))]
    except (KeyError, TypeError, ValueError) as exc:
        raise FileFormatError(path, f"its checkpoint entries are incomplete ({exc})",
                              "use an earlier checkpoint") from None
    if like is None:
        return Checkpoint(Path(path), step, dict(zip(names, leaves, strict=True)), user)
    try:
        tree = tree_like(path, names, leaves, like, "another model or optimiser")
    except ValueError as exc:
        raise ValueError(f"{exc} Resume with the same network widths, scales, dtype and "
                         "optimiser, or start a new run.") from None
    return Checkpoint(Path(path), step, tree, user)


def latest_checkpoint(path, like=None, *, keep: int = _MAX_KEEP) -> Checkpoint:
    """The newest readable checkpoint of the rotation of `path`.

    Tries `path`, `path.1`, … in turn; a missing, truncated or corrupted file is skipped with
    a `RuntimeWarning` naming it and why. Leftover temporary files of interrupted writes are
    removed on the way.

    Args:
        path: the newest checkpoint's file.
        like: as for `load_checkpoint`.
        keep: how far down the rotation to look.

    Returns:
        A `Checkpoint`.

    Raises:
        FileNotFoundError: none of the files exists.
        pdesolve.io.FileFormatError: all existing files are unreadable (each one listed).
        ValueError: a readable file does not match `like`.
    """
    problems = []
    for candidate in checkpoint_paths(path, keep):
        remove_orphans(candidate)
        if not candidate.exists():
            continue
        try:
            found = load_checkpoint(candidate, like)
        except FileFormatError as exc:
            problems.append(str(exc))
            continue
        if problems:
            warnings.warn(
                f"resuming from {candidate} (step {found.step}) because newer checkpoints are "
                "unreadable: " + " | ".join(problems), RuntimeWarning, stacklevel=3)
        return found
    if not problems:
        raise FileNotFoundError(
            f"no checkpoint at {path} (nor {Path(path).name}.1, ...); check resume= or train "
            "without it.")
    raise FileFormatError(path, "no readable checkpoint: " + " | ".join(problems),
                          "start the run again without resume=")


def check_keep(keep) -> int:
    """`keep` as an int in 1..100, else ValueError naming it."""
    if isinstance(keep, bool) or not isinstance(keep, (int, np.integer)) or not (
        1 <= keep <= _MAX_KEEP
    ):
        raise ValueError(f"keep_checkpoints must be an int in 1..{_MAX_KEEP}, got {keep!r}.")
    return int(keep)
