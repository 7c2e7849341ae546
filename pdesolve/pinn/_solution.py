"""`PINNSolution`: a trained network for an advection–diffusion problem, saved as a safe archive."""

import dataclasses
import functools
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from ..io import (
    FileFormatError,
    json_data,
    leaf_name,
    npz_path,
    read_archive,
    tree_arrays,
    tree_like,
    write_archive,
)
from ._ansatz import hard_constraint
from ._model import Model
from ._networks import MLP, FourierSubnets

KIND = "pinn-solution"
_NETWORKS = {"FourierSubnets": FourierSubnets, "MLP": MLP}


class PINNSolution:
    """A trained network for an advection–diffusion problem: callable at any points.

    `sol(x, t)` with x (n, d) and t (n,) (or a scalar) returns u of shape (n,); steady
    problems take `sol(x)`. Attributes: `problem`, `params`, `model`, `info`.
    """

    def __init__(self, model, params, info):
        self.model, self.params, self.info = model, params, info
        self.problem = model.problem
        self._eval = predictor(model)

    def __call__(self, x, t=None):
        x = np.asarray(x)
        if x.ndim == 1 and self.problem.dim == 1:
            x = x[:, None]
        if x.ndim != 2 or x.shape[1] != self.problem.dim:
            raise ValueError(
                f"x must have shape (n, {self.problem.dim}), got {x.shape}."
            )
        if self.problem.steady:
            if t is not None:
                raise ValueError("this problem is steady; call sol(x) without t.")
            return self._eval(self.params, x, None)
        if t is None:
            raise ValueError("this problem is time-dependent; call sol(x, t) with t of shape (n,).")
        t = np.broadcast_to(np.asarray(t, dtype=np.float64), (x.shape[0],))
        return self._eval(self.params, x, t)

    def __repr__(self):
        return f"PINNSolution(variant={self.info.get('variant')!r}, problem={self.problem!r})"

    def save(self, path) -> Path:
        """Write the network description, parameters and info to a pdesolve archive (.npz).

        The problem's functions are not stored (they are code): `load` takes the problem.

        Args:
            path: the file; ".npz" is appended when it has another suffix.

        Returns:
            The path written.
        """
        path = npz_path(path)
        net = self.model.network
        arrays, paths = tree_arrays(self.params)
        metadata = {
            "network": {"type": type(net).__name__, **json_data(dataclasses.asdict(net))},
            "hard": bool(self.model.hard),
            "custom_constraint": self.model.hard and (
                (self.model.extension, self.model.distance) != hard_constraint(self.problem)),
            "dtype": jnp.dtype(self.model.dtype).name,
            "leaves": paths,
            "problem": repr(self.problem),
            "info": json_data(self.info),
        }
        return write_archive(path, arrays, metadata, kind=KIND)

    @classmethod
    def load(cls, path, problem, *, extension=None, distance=None) -> "PINNSolution":
        """Read a solution written by `save`.

        Args:
            path: the file.
            problem: the `AdvectionDiffusion` it solves (its functions are not in the file).
            extension, distance: the user G and D it was trained with, when it was (a file
                saved from a run with `extension=`/`distance=` needs them again).

        Returns:
            The solution, evaluating exactly as the saved one.

        Raises:
            FileNotFoundError: no file at `path`.
            pdesolve.io.FileFormatError: the file is truncated, corrupted or not a PINN solution.
            ValueError: the problem's dimension does not fit the network, or G/D are missing.
        """
        arrays, metadata = read_archive(path, kind=KIND)
        try:
            spec = dict(metadata["network"])
            net_cls = _NETWORKS[spec.pop("type")]
            net = net_cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in spec.items()})
            dtype, hard = jnp.dtype(metadata["dtype"]), bool(metadata["hard"])
            paths = list(metadata["leaves"])
            leaves = [arrays[leaf_name(i)] for i in range(len(paths))]
        except (KeyError, TypeError, ValueError) as exc:
            raise FileFormatError(path, f"a PINN solution entry is missing or malformed ({exc})",
                                  "write the file again with PINNSolution.save") from None
        in_dim = problem.dim + (0 if problem.steady else 1)
        if in_dim != net.in_dim:
            raise ValueError(
                f"{path} holds a network with {net.in_dim} inputs, but problem has "
                f"{in_dim} ((x, t) of dimension {problem.dim}{'' if problem.steady else ' + 1'});"
                " pass the problem the solution was trained for.")
        if hard:
            if (extension is None) != (distance is None):
                raise ValueError("pass both extension= and distance=, or neither.")
            if extension is None and metadata.get("custom_constraint"):
                raise ValueError(
                    f"{path} was trained with a user extension G and distance D; pass them "
                    "again as extension= and distance=.")
            g, d = (extension, distance) if extension is not None else hard_constraint(problem)
            model = Model(problem, net, True, g, d, dtype)
        else:
            model = Model(problem, net, False, dtype=dtype)
        params = tree_like(path, paths, leaves, net.init(jax.random.PRNGKey(0), dtype),
                           "another network")
        params = jax.tree_util.tree_map(jnp.asarray, params)
        return cls(model, params, dict(metadata.get("info") or {}))


@functools.lru_cache(maxsize=8)
def predictor(model):
    """jit(model.__call__), one per equal model (same problem, network, G, D and dtype), so
    repeated fits on one problem do not recompile the evaluation."""
    return jax.jit(model.__call__)
