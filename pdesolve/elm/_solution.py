"""`ELMSolution`: a solved random-feature model, callable anywhere, saved as a safe archive."""

import dataclasses
import functools
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from ..io import FileFormatError, json_data, npz_path, read_archive, write_archive
from ..solutions import Solution, Status
from ._corner_lift import CornerLift
from ._features import Network, apply_operator, gradient_values

KIND = "elm-solution"
ILL_CONDITIONED = 1e12  # condition number of the column-scaled factor above which a full-rank
# fit keeps fewer than about 4 reliable digits of float64

_CHUNK = 32768


@functools.partial(jax.jit, static_argnames=("activation", "op"))
def _combine(weights, biases, beta, x, *, activation, op):
    if op == "gradient":
        return gradient_values(weights, biases, activation, beta, x)
    return apply_operator(weights, biases, activation, op, x) @ beta


class ELMSolution(Solution):
    """u_h(x) = Σ_j β_j φ_j(x) from an extreme-learning-machine solve (a `pdesolve.Solution`).

    Attributes:
        networks: the frozen random-feature networks; networks[0] represents u and, for the
            coupled biharmonic scheme, networks[1] represents v ≈ Δu.
        coefficients: output weights β, one (M,) array per network.
        problem: the problem that was solved (None after `load` unless one is given).
        info: dict of diagnostics: the shared keys of `pdesolve.solutions.SHARED_INFO`
            ("method", "time_total_s", "devices", "backend", "platform") and residuals per row
            group, rows, unknowns, rank, condition, rcond, timings ("time_*_s") and settings.
        method: "pielm", "celm" or "celm-direct" (also info["method"]).
        result: the `pdesolve.Status` from the least squares' diagnostics: `diverged` when a
            coefficient is NaN or inf, `rank_deficient` when info["rows"] < info["unknowns"]
            (underdetermined), `ill_conditioned` when info["condition"] > 1e12 at full rank,
            else `successful` (also when info has no rank, e.g. a hand-built solution).
        lift: the closed-form corner lift L added to u (and ΔL to v), or None
            (`pdesolve.elm.CornerLift`, see `celm.solve(corners=...)`).
    """

    lift: CornerLift | None = None

    def __init__(self, networks: list[Network], coefficients: list[np.ndarray], *,
                 problem=None, info: dict | None = None, method: str = "celm"):
        self.networks = list(networks)
        self.coefficients = [np.asarray(c, dtype=np.float64) for c in coefficients]
        self.problem = problem
        self.info = dict(info or {})
        self.method = method
        self.dim = int(self.networks[0].weights.shape[1])

    def __repr__(self):
        widths = [n.width for n in self.networks]
        return f"ELMSolution(method={self.method!r}, widths={widths}, dim={self.dim})"

    def _eval(self, index: int, op: str, x):
        x = np.asarray(x, dtype=np.float64)
        if x.ndim == 1 and x.shape[0] == self.dim:
            x = x[None]
        if x.ndim != 2 or x.shape[1] != self.dim:
            raise ValueError(f"x must have shape (n, {self.dim}), got {x.shape}.")
        net, beta = self.networks[index], jnp.asarray(self.coefficients[index])
        w, b = jnp.asarray(net.weights), jnp.asarray(net.biases)
        parts = [
            _combine(w, b, beta, jnp.asarray(x[i:i + _CHUNK]), activation=net.activation, op=op)
            for i in range(0, max(x.shape[0], 1), _CHUNK)
        ]
        values = jnp.concatenate(parts) if len(parts) > 1 else parts[0]
        if self.lift is None:
            return values
        if index == 0:
            return values + self.lift.values(op, x)
        return values + self.lift.values("laplacian", x)  # v ≈ Δu carries ΔL

    def __call__(self, x):
        """u_h at points x of shape (n, d); returns (n,)."""
        return self._eval(0, "value", x)

    def laplacian(self, x):
        """Δu_h at x (n, d) in closed form; returns (n,)."""
        return self._eval(0, "laplacian", x)

    def gradient(self, x):
        """∇u_h at x (n, d); returns (n, d)."""
        return self._eval(0, "gradient", x)

    def auxiliary(self, x):
        """The coupled scheme's second network v_h ≈ Δu at x (n, d); Δu_h when there is none."""
        return self._eval(1, "value", x) if len(self.networks) > 1 else self.laplacian(x)

    @property
    def result(self) -> Status:
        """The status derived from the coefficients and the rows, rank and condition in `info`.

        A numerical rank below the column count is the normal, handled case of a random-feature
        system (the rank-revealing finish drops the directions below rcond, as lineax's SVD
        solver does) and is reported in info["rank"], not as a failure; `rank_deficient` means
        fewer rows than unknowns, where the data cannot determine the fit.
        """
        if not all(np.all(np.isfinite(c)) for c in self.coefficients):
            return Status.diverged
        rows, unknowns = self.info.get("rows"), self.info.get("unknowns")
        if rows is not None and unknowns is not None and rows < unknowns:
            return Status.rank_deficient
        condition, full_rank = self.info.get("condition"), self.info.get("rank") == unknowns
        if full_rank and condition is not None and not condition <= ILL_CONDITIONED:
            return Status.ill_conditioned
        return Status.successful

    def exact_values(self, x, t=None) -> np.ndarray:
        """`problem.exact` at x (n, d) (t unused: ELM problems are steady); float64 (n,)."""
        exact = self._problem_with_exact().exact
        return np.asarray(jax.vmap(exact)(jnp.asarray(x)), dtype=np.float64)

    def save(self, path) -> Path:
        """Write networks, coefficients, method and info to a pdesolve archive (an .npz file).

        The file is written atomically and holds no pickles (`pdesolve.io.write_archive`).

        Args:
            path: the file; ".npz" is appended when it has another suffix.

        Returns:
            The path written.
        """
        path = npz_path(path)
        arrays = {}
        for k, (net, beta) in enumerate(zip(self.networks, self.coefficients, strict=True)):
            arrays[f"weights{k}"] = net.weights
            arrays[f"biases{k}"] = net.biases
            arrays[f"beta{k}"] = beta
        if self.lift is not None:
            arrays.update({f"lift_{k}": v for k, v in self.lift.arrays().items()})
        metadata = {"method": self.method, "activations": [n.activation for n in self.networks],
                    "info": json_data(self.info)}
        return write_archive(path, arrays, metadata, kind=KIND)

    @classmethod
    def load(cls, path, problem=None) -> "ELMSolution":
        """Read a solution written by `save`; `problem` (optional) is attached as `.problem`.

        Raises:
            FileNotFoundError: no file at `path`.
            pdesolve.io.FileFormatError: the file is truncated, corrupted or not an ELM solution.
        """
        arrays, metadata = read_archive(path, kind=KIND)
        try:
            activations = list(metadata["activations"])
            networks = [Network(arrays[f"weights{k}"], arrays[f"biases{k}"], str(a))
                        for k, a in enumerate(activations)]
            betas = [arrays[f"beta{k}"] for k in range(len(activations))]
            info = {"method": str(metadata["method"]), **dict(metadata["info"])}
            sol = cls(networks, betas, problem=problem, info=info,
                      method=str(metadata["method"]))
            if "lift_angles" in arrays:
                sol.lift = CornerLift(**{f.name: arrays[f"lift_{f.name}"]
                                         for f in dataclasses.fields(CornerLift)})
            return sol
        except (KeyError, TypeError, ValueError) as exc:
            raise FileFormatError(path, f"an ELM solution entry is missing or malformed ({exc})",
                                  "write the file again with ELMSolution.save") from None
