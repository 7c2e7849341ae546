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

from ..io import FileFormatError, read_archive, remove_orphans, write_archive
from ..parallel import to_host

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
    leaves = jax.tree_util.tree_flatten_with_path(tree)[0]
    arrays = {_leaf_name(i): np.asarray(to_host(leaf)) for i, (_, leaf) in enumerate(leaves)}
    meta = {"step": int(step), "leaves": [jax.tree_util.keystr(p) for p, _ in leaves],
            "user": metadata or {}}
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
        leaves = [arrays[_leaf_name(i)] for i in range(len(names))]
    except (KeyError, TypeError, ValueError) as exc:
        raise FileFormatError(path, f"its checkpoint entries are incomplete ({exc})",
                              "use an earlier checkpoint") from None
    if like is None:
        return Checkpoint(Path(path), step, dict(zip(names, leaves, strict=True)), user)
    expected, treedef = jax.tree_util.tree_flatten_with_path(like)
    _check_layout(path, names, leaves, expected)
    return Checkpoint(Path(path), step, jax.tree_util.tree_unflatten(treedef, leaves), user)


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


def _leaf_name(index: int) -> str:
    return f"leaf{index:05d}"


def _check_layout(path, names, leaves, expected) -> None:
    """ValueError naming the first differences between saved leaves and `like`'s."""
    wanted = {jax.tree_util.keystr(p): np.shape(x) for p, x in expected}
    dtypes = {jax.tree_util.keystr(p): np.dtype(_dtype(x)) for p, x in expected}
    saved = dict(zip(names, leaves, strict=True))
    differences = [f"{n} is missing" for n in wanted if n not in saved]
    differences += [f"{n} is not expected here" for n in saved if n not in wanted]
    differences += [
        f"{n} is {saved[n].dtype}{list(saved[n].shape)} in the file, "
        f"{dtypes[n]}{list(wanted[n])} here"
        for n in wanted if n in saved and (
            saved[n].shape != wanted[n] or saved[n].dtype != dtypes[n])
    ]
    if differences:
        raise ValueError(
            f"{path} was written for another model or optimiser ({len(differences)} "
            f"difference(s): {'; '.join(differences[:4])}); resume with the same network "
            "widths, scales, dtype and optimiser, or start a new run.")


def _dtype(x):
    return getattr(x, "dtype", None) or np.asarray(x).dtype
