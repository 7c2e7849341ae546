"""`SpaceTime`: a spatial domain times a time interval, for time-dependent problems."""

import jax
import jax.numpy as jnp
import numpy as np

from ..validation import (
    as_finite_scalar,
    check_count,
    check_key,
    check_method,
    check_points,
    check_sample_memory,
    reject_unknown_options,
)
from ._check import check_domain
from ._domain import Domain
from ._sampling import unit_cube


class SpaceTime:
    """The cylinder Ω × [t0, t1] for a spatial `Domain` Ω.

    Points come as pairs (x, t): x of shape (n, d) and t of shape (n,). `dim` is the spatial
    dimension d.

    Args:
        domain: the spatial domain Ω.
        t0: initial time.
        t1: final time, t1 > t0.

    Raises:
        TypeError: `domain` is not a geometry `Domain`, or t0, t1 are not real numbers.
        ValueError: t0, t1 not finite or t1 ≤ t0.
    """

    @reject_unknown_options
    def __init__(self, domain: Domain, t0, t1):
        check_domain(domain, fix="pass the spatial domain, e.g. geo.Interval(0, 1)")
        t0, t1 = as_finite_scalar(t0, "t0"), as_finite_scalar(t1, "t1")
        if t1 <= t0:
            raise ValueError(f"t1 must be greater than t0 (need t0 < t1), got t0={t0}, "
                             f"t1={t1}; swap them.")
        self.domain, self.t0, self.t1 = domain, t0, t1
        self.dim = domain.dim

    def __repr__(self):
        return f"SpaceTime({self.domain!r}, {self.t0}, {self.t1})"

    def _times(self, n, key, method):
        if method == "grid":
            method = "sobol"
        return self.t0 + (self.t1 - self.t0) * unit_cube(n, 1, key=key, method=method)[:, 0]

    def contains(self, x, t) -> np.ndarray:
        """Whether each (x, t) lies in Ω × [t0, t1]; x (n, d), t (n,) → bool (n,)."""
        x = check_points(x, self.dim)
        t = np.broadcast_to(np.asarray(t, dtype=np.float64), (x.shape[0],))
        return self.domain.contains(x) & (t >= self.t0) & (t <= self.t1)

    @reject_unknown_options(where="sample_interior")
    def sample_interior(self, n: int, *, key, method: str = "random"):
        """`n` points (x, t) uniform in Ω × [t0, t1].

        Returns:
            `(x, t)` with shapes (n, d) and (n,).
        """
        n, method, key = check_count(n), check_method(method), check_key(key)
        check_sample_memory(n, self.dim + 1, "SpaceTime.sample_interior")
        kx, kt = jax.random.split(key)
        return self.domain.sample_interior(n, key=kx, method=method), self._times(n, kt, method)

    @reject_unknown_options(where="sample_boundary")
    def sample_boundary(self, n: int, *, key, method: str = "random"):
        """`n` points on the lateral boundary ∂Ω × [t0, t1] with outward spatial normals.

        Returns:
            `(x, t, normals)` with shapes (n, d), (n,) and (n, d).
        """
        n, method, key = check_count(n), check_method(method), check_key(key)
        check_sample_memory(n, 2 * self.dim + 1, "SpaceTime.sample_boundary")
        kx, kt = jax.random.split(key)
        x, normals = self.domain.sample_boundary(n, key=kx, method=method)
        return x, self._times(n, kt, method), normals

    @reject_unknown_options(where="sample_initial")
    def sample_initial(self, n: int, *, key, method: str = "random") -> np.ndarray:
        """`n` points x in Ω for the initial slice t = t0; returns shape (n, d)."""
        return self.domain.sample_interior(n, key=key, method=method)

    def distance(self, x, t):
        """Distance-like factor D(x, t) = d_Ω(x) · (t − t0)/(t1 − t0).

        It vanishes on the lateral boundary and at t = t0, is positive inside, and is
        differentiable with JAX. x (n, d) and t (n,) give (n,); x (d,) and scalar t give a scalar.
        """
        x = jnp.asarray(x)
        return self.domain.distance(x) * (jnp.asarray(t) - self.t0) / (self.t1 - self.t0)

    @property
    def measure(self) -> float | None:
        """Space-time volume |Ω| (t1 − t0), or None when |Ω| is unknown."""
        m = self.domain.measure
        return None if m is None else m * (self.t1 - self.t0)
