"""`Solution`: what every pdesolve solver returns (ELMs and PINNs alike)."""

import abc
from pathlib import Path

import jax
import numpy as np

from .. import metrics
from ..validation import check_count, check_key

# the info keys every solution has, with their types (methods add their own keys)
SHARED_INFO = {
    "method": str,  # "pielm", "celm", "celm-direct", "sfhcpinn", "pinn", "hcpinn", "sfpinn"
    "time_total_s": float,  # wall time of the whole solve call, seconds
    "devices": int,  # how many devices took part
    "backend": str,  # "host" (SciPy's LAPACK) or "device" (JAX on the devices)
    "platform": str,  # the platform that computed: "cpu", "gpu", "tpu"
}


class Solution(abc.ABC):
    """A solved problem: u_h callable anywhere, with its diagnostics.

    The contract (kept by `pdesolve.elm.ELMSolution` and `pdesolve.pinn.PINNSolution`):

    * `sol(x)` (steady problems) or `sol(x, t)` (time-dependent ones) with x of shape (n, d)
      returns u_h of shape (n,);
    * `sol.problem`: the problem solved (None after `load` when none is given);
    * `sol.info`: a dict with at least the `SHARED_INFO` keys ("method", "time_total_s",
      "devices", "backend", "platform"; a file saved before they existed may lack them)
      besides each method's own;
    * `sol.errors(key=..., n=...)`: errors against `problem.exact` at fresh points;
    * `sol.save(path)` / `type(sol).load(path, ...)`: a safe archive and back;
    * `sol.result`: a `pdesolve.Status` saying how the solve ended and what to do.
    """

    problem = None
    info: dict

    @abc.abstractmethod
    def __call__(self, x, t=None):
        """u_h at x (n, d) (and t (n,) for time-dependent problems); returns (n,)."""

    @abc.abstractmethod
    def save(self, path) -> Path:
        """Write the solution to a pdesolve archive; returns the path written."""

    @classmethod
    @abc.abstractmethod
    def load(cls, path, *args, **kwargs) -> "Solution":
        """Read a solution written by `save`."""

    @property
    @abc.abstractmethod
    def result(self):
        """The `pdesolve.Status` of this solution (criteria: see each subclass)."""

    @abc.abstractmethod
    def exact_values(self, x, t=None) -> np.ndarray:
        """`problem.exact` at x (and t), as float64 (n,)."""

    def error_points(self, *, key, n: int = 4096):
        """Fresh points for `errors`: uniform in the domain and, when the problem is
        time-dependent, in its time span.

        Returns:
            (x (n, d), t (n,) or None for steady problems), NumPy float64.
        """
        problem = self._problem_with_exact()
        key, n = check_key(key), check_count(n)
        k_x, k_t = jax.random.split(key)
        x = np.asarray(problem.domain.sample_interior(n, key=k_x, method="random"),
                       dtype=np.float64)
        t_span = getattr(problem, "t_span", None)
        if t_span is None:
            return x, None
        t0, t1 = t_span
        return x, np.asarray(jax.random.uniform(k_t, (n,), minval=t0, maxval=t1,
                                                dtype=np.float64 if jax.config.jax_enable_x64
                                                else np.float32), dtype=np.float64)

    def errors(self, *, key, n: int = 4096) -> dict:
        """Errors of u_h against `problem.exact` at `n` fresh points (`error_points`).

        relative_l2 = ‖u_h − u‖₂/‖u‖₂, max_error = max |u_h − u|, rms = √(mean (u_h − u)²),
        by `pdesolve.metrics`.

        Args:
            key: PRNG key of the points.
            n: how many points (space–time points for time-dependent problems).

        Returns:
            {"relative_l2": float, "max_error": float, "rms": float}.

        Raises:
            ValueError: no problem attached, or `problem.exact` is None.
            TypeError, ValueError: a bad key or n.
        """
        x, t = self.error_points(key=key, n=n)
        pred = np.asarray(self(x) if t is None else self(x, t), dtype=np.float64)
        ref = self.exact_values(x, t)
        return {"relative_l2": float(metrics.relative_l2(pred, ref)),
                "max_error": float(metrics.max_error(pred, ref)),
                "rms": float(metrics.rms_error(pred, ref))}

    def _problem_with_exact(self):
        if self.problem is None:
            raise ValueError(f"this {type(self).__name__} has no problem attached (a loaded "
                             "file stores no functions); pass problem= to load.")
        if getattr(self.problem, "exact", None) is None:
            raise ValueError("errors() compares with problem.exact, but this problem has "
                             "exact=None; give the problem its exact solution (exact=...), or "
                             "compare with a reference solution through pdesolve.metrics.")
        return self.problem
