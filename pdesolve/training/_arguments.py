"""Checks of `train`'s arguments that are specific to training (the shared ones live in
`pdesolve.validation`)."""

import os
from pathlib import Path

import jax
import numpy as np
from jax.sharding import Mesh

from ..parallel import AXIS
from ..validation import describe


def check_path(value, name: str):
    """`value` as a Path (None stays None); TypeError naming `name` for anything else."""
    if value is None:
        return None
    if isinstance(value, (str, os.PathLike)) and str(value):
        return Path(value)
    raise TypeError(f"{name} must be a file path (str or pathlib.Path), got {value!r}.")


def check_lbfgs_steps(value) -> int:
    """`value` as a non-negative int (0: no L-BFGS finish); ValueError otherwise."""
    if (isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer))
            or value < 0):
        raise ValueError(f"lbfgs_steps must be a non-negative int, got {value!r}; 0 skips "
                         "L-BFGS.")
    return int(value)


def check_mesh(mesh) -> Mesh:
    """`mesh`, or a one-device mesh on this process's first device for None; TypeError for
    anything but a `jax.sharding.Mesh`."""
    if mesh is None:
        return Mesh(np.array(jax.local_devices()[:1]), (AXIS,))
    if not isinstance(mesh, Mesh):
        raise TypeError(
            f"mesh must be a jax.sharding.Mesh (e.g. pdesolve.parallel.device_mesh(2)), got "
            f"{describe(mesh)}."
        )
    return mesh


def check_optimizer(optimizer):
    """`optimizer` if it looks like an optax GradientTransformation; TypeError otherwise."""
    if not (callable(getattr(optimizer, "init", None))
            and callable(getattr(optimizer, "update", None))):
        hint = " (call it: optax.adam(1e-3))" if callable(optimizer) else ""
        raise TypeError(
            f"optimizer must be an optax GradientTransformation such as optax.adam(1e-3), got "
            f"{describe(optimizer)}{hint}.")
    return optimizer
