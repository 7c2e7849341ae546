"""The `Domain` base class: the interface every shape of the geometry layer implements."""

import abc
import functools

import jax
import jax.numpy as jnp
import numpy as np

from ..validation import (
    check_count,
    check_key,
    check_method,
    check_points,
    check_sample_memory,
    reject_unknown_options,
)
from ._sampling import unit_cube


class Domain(abc.ABC):
    """A closed region of R^d with sampling, membership, outward normals and a distance function.

    Subclasses implement the private hooks `_contains`, `_sample_interior`, `_sample_boundary`
    and `_distance`; the public methods validate arguments once and convert to arrays.
    Points are float64 NumPy arrays of shape (n, d) on the host; `distance` is a JAX function.
    """

    dim: int
    bbox: tuple[np.ndarray, np.ndarray]

    # -- public API ---------------------------------------------------------------------------
    def contains(self, x) -> np.ndarray:
        """Whether each point lies in the closed domain.

        Args:
            x: points of shape (n, d) (or one point of shape (d,)).

        Returns:
            Boolean array of shape (n,).

        Raises:
            ValueError: `x` has the wrong shape or non-finite entries.
        """
        return np.asarray(self._contains(check_points(x, self.dim)), dtype=bool)

    @reject_unknown_options(where="sample_interior")
    def sample_interior(self, n: int, *, key, method: str = "random") -> np.ndarray:
        """Draw `n` points inside the domain, uniformly in distribution.

        Args:
            n: number of points (exactly `n` are returned).
            key: JAX PRNG key; the same key gives the same points.
            method: "random", "sobol", "halton", "lhs", or "grid" (where the shape supports it).

        Returns:
            Array of shape (n, d).

        Raises:
            TypeError: `n` is not an int, `key` is not a PRNG key, or an unknown keyword.
            ValueError: `n` is not positive, the points would not fit in memory, or `method`
                is unknown or unsupported by the shape.
        """
        n, method, key = check_count(n), check_method(method), check_key(key)
        check_sample_memory(n, self.dim, f"{type(self).__name__}.sample_interior")
        return np.asarray(self._sample_interior(n, key, method), dtype=np.float64)

    @reject_unknown_options(where="sample_boundary")
    def sample_boundary(self, n: int, *, key, method: str = "random"):
        """Draw `n` boundary points, spread in proportion to boundary measure, with normals.

        Args:
            n: number of points (exactly `n` are returned).
            key: JAX PRNG key; the same key gives the same points.
            method: "random", "sobol", "halton", "lhs", or "grid" (where the shape supports it).

        Returns:
            `(points, normals)`, both of shape (n, d); normals are unit and point outward.

        Raises:
            TypeError: `n` is not an int, `key` is not a PRNG key, or an unknown keyword.
            ValueError: `n` is not positive, the points would not fit in memory, or `method`
                is unknown or unsupported by the shape.
        """
        n, method, key = check_count(n), check_method(method), check_key(key)
        check_sample_memory(n, self.dim, f"{type(self).__name__}.sample_boundary", arrays=4)
        points, normals = self._sample_boundary(n, key, method)
        return np.asarray(points, dtype=np.float64), np.asarray(normals, dtype=np.float64)

    def distance(self, x):
        """A smooth approximate signed distance: 0 on the boundary, > 0 inside, < 0 outside.

        It is differentiable with JAX (traceable, usable inside `jit`, `grad`, `vmap`) and is
        normalised to first order: its gradient on a smooth part of the boundary is the inward
        unit normal, so it behaves like the Euclidean distance near the boundary. First and
        second derivatives are finite at every interior point and on the boundary away from
        corners. Where two pieces of boundary meet (polygon vertices, box edges, curves where
        CSG operands cross or share a face) the field has a kink; its derivatives there are
        finite but are not the normal (R-functions take the mean of the one-sided ones).

        Args:
            x: points of shape (n, d), or one point of shape (d,).

        Returns:
            Array of shape (n,), or a scalar for one point.
        """
        x = jnp.asarray(x)
        if x.ndim not in (1, 2) or x.shape[-1] != self.dim:
            raise ValueError(
                f"x must have shape (n, {self.dim}) or ({self.dim},), got {tuple(x.shape)}."
            )
        return self._jitted_distance[x.ndim - 1](x)

    @functools.cached_property
    def _jitted_distance(self):
        """(one point, batch) versions of `_distance`, compiled once per domain and shape."""
        return jax.jit(self._distance), jax.jit(jax.vmap(self._distance))

    @property
    def measure(self) -> float | None:
        """Length/area/volume of the domain, or None when no closed form is known."""
        return None

    @property
    def boundary_measure(self) -> float | None:
        """Measure of the boundary (point count in 1D, length in 2D, area in 3D), or None."""
        return None

    def __or__(self, other):
        from ._csg import Union

        return Union(self, other)

    def __and__(self, other):
        from ._csg import Intersection

        return Intersection(self, other)

    def __sub__(self, other):
        from ._csg import Difference

        return Difference(self, other)

    # -- hooks for subclasses -----------------------------------------------------------------
    @abc.abstractmethod
    def _contains(self, x: np.ndarray) -> np.ndarray:
        """Membership of validated points (n, d) in the closed domain."""

    @abc.abstractmethod
    def _sample_boundary(self, n: int, key, method: str):
        """`n` boundary points and outward unit normals."""

    @abc.abstractmethod
    def _distance(self, x):
        """Smooth signed distance of one point x of shape (d,) (JAX-traceable)."""

    def _contains_open(self, x: np.ndarray) -> np.ndarray:
        """Membership in the open interior (boundary points excluded, up to a tolerance).

        CSG differences use it so that A − B keeps the boundary of the hole B. The default is
        the closed membership; shapes override it.
        """
        return self._contains(x)

    def _sample_interior(self, n: int, key, method: str) -> np.ndarray:
        """Default: rejection sampling from the bounding box, topped up until exactly n points."""
        if method == "grid":
            raise ValueError(
                f"method='grid' is not supported for {type(self).__name__}; "
                "use 'sobol' or 'halton' for evenly spread points."
            )
        lo, hi = self.bbox
        accepted, have, attempt = [], 0, 0
        fraction = 0.5
        while have < n:
            want = int((n - have) / max(fraction, 0.02) * 1.2) + 16
            key, sub = jax.random.split(key)
            cube = unit_cube(want, self.dim, key=sub, method=method)
            candidates = lo + (hi - lo) * cube
            inside = self._contains(candidates)
            fraction = max(float(np.mean(inside)), 1e-3)
            accepted.append(candidates[inside])
            have += int(np.sum(inside))
            attempt += 1
            if attempt > 100:
                raise RuntimeError(
                    f"rejection sampling of {type(self).__name__} accepted too few points; "
                    "the domain may be empty or much smaller than its bounding box."
                )
        return np.concatenate(accepted)[:n]
