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
from ..solutions import Solution, Status
from ._ansatz import hard_constraint
from ._model import Model
from ._networks import MLP, FourierSubnets

KIND = "pinn-solution"
_NETWORKS = {"FourierSubnets": FourierSubnets, "MLP": MLP}
CONVERGED_DROP = 10.0  # the final loss must be at least this factor below the initial one
STILL_FALLING = 0.5  # final/previous window loss ratio below which training is still falling
WINDOW = 10  # the windows are the last and the previous 1/WINDOW of the steps


class PINNSolution(Solution):
    """A trained network for an advection–diffusion problem: callable at any points (a
    `pdesolve.Solution`).

    `sol(x, t)` with x (n, d) and t (n,) (or a scalar) returns u of shape (n,); steady
    problems take `sol(x)`. Attributes: `problem`, `params`, `model`, `info` (the shared keys
    of `pdesolve.solutions.SHARED_INFO`, "method" being the variant, with the older
    "variant" and "wall_time_s" (the training loop's wall time, part of "time_total_s") kept;
    see `pdesolve.sfhcpinn.solve`), `result`.

    `result` (a `pdesolve.Status`), from info["loss"] (the loss of every step) and the
    parameters: `diverged` when a loss or a parameter is NaN or inf; `not_converged` when the
    final loss (the mean over the last tenth of the steps, or the last L-BFGS loss when lower)
    is not 10× below the first step's, or when it is below half the mean of the tenth before
    (still falling steeply), or when there is no loss history; else `successful`.
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

    @property
    def result(self) -> Status:
        """The status from the loss history and the parameters (criteria: see the class)."""
        leaves = [np.asarray(v) for v in jax.tree_util.tree_leaves(self.params)]
        losses = np.asarray(self.info.get("loss") or [], dtype=np.float64)
        if not (all(np.all(np.isfinite(v)) for v in leaves) and np.all(np.isfinite(losses))):
            return Status.diverged
        if losses.size == 0:
            return Status.not_converged
        w = max(1, losses.size // WINDOW)
        final = float(np.mean(losses[-w:]))
        refined = [v for v in self.info.get("lbfgs_loss") or [] if np.isfinite(v)]
        if refined:
            final = min(final, float(refined[-1]))
        if not final * CONVERGED_DROP <= losses[0]:
            return Status.not_converged
        if losses.size >= 2 * w and not refined and final < STILL_FALLING * float(
                np.mean(losses[-2 * w:-w])):
            return Status.not_converged
        return Status.successful

    def exact_values(self, x, t=None) -> np.ndarray:
        """`problem.exact` at x (n, d) and t (n,) (zeros for a steady problem); float64."""
        exact = self._problem_with_exact().exact
        t = np.zeros(len(x)) if t is None else t
        return np.asarray(jax.vmap(exact)(jnp.asarray(x), jnp.asarray(t)), dtype=np.float64)

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
        info = dict(metadata.get("info") or {})
        if "variant" in info:
            info.setdefault("method", info["variant"])
        return cls(model, params, info)


@functools.lru_cache(maxsize=8)
def predictor(model):
    """jit(model.__call__), one per equal model (same problem, network, G, D and dtype), so
    repeated fits on one problem do not recompile the evaluation."""
    return jax.jit(model.__call__)
