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
from ._corners import Corner, polyline_corners
from ._pools import pooled_boundary_counts, pooled_boundary_sampler, pooled_sampler
from ._sampling import check_device_method, unit_cube


class Domain(abc.ABC):
    """A closed region of R^d with sampling, membership, outward normals and a distance function.

    Subclasses implement the private hooks `_contains`, `_sample_interior`, `_sample_boundary`
    and `_distance`; the public methods validate arguments once and convert to arrays.
    Points are float64 NumPy arrays of shape (n, d) on the host; `distance` is a JAX function.
    Shapes with more structure override the capability methods (`boundary_parts`,
    `part_aliases`, `boundary_segments`, `corners`, `boundary_blend`, `exact_device_sampling`
    and the device samplers), so callers never switch on the type of a domain.
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

    @property
    def distance_field(self):
        """The signed distance of `distance` as a JAX function of one point, x (d,) -> scalar.

        Unvalidated and not jitted itself, for use inside traced code (`jit`, `grad`, `vmap`);
        `distance` is the checked, batched, compiled form of the same field.
        """
        return self._distance

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

    # -- boundary parts -------------------------------------------------------------------
    def boundary_parts(self) -> tuple:
        """The named pieces of the boundary, each with a distance field that vanishes on it.

        Boundary conditions can differ by piece. The default is the single piece "boundary"
        with the domain's own field; boxes have one piece per face, polygons one per edge,
        differences A − B1 − … − Bm "outer" and "hole1", … (see `geometry.boundary_parts`).

        Returns:
            Tuple of `(name, phi)`; `phi(x)` for one point x of shape (d,) is 0 on that piece
            and > 0 inside the domain near it (JAX-traceable).
        """
        return (("boundary", self._distance),)

    def part_aliases(self) -> dict[str, int]:
        """Other names of single boundary parts, {alias: index into `boundary_parts()`}.

        Empty by default; a box names its faces "left"/"right", "bottom"/"top" (and
        "front"/"back" in 3D).
        """
        return {}

    def boundary_segments(self):
        """The straight segments of each piece of `boundary_parts()`, where all are polylines.

        Returns:
            None (the default: some piece is not a polyline); else a tuple with, per piece, the
            segments' end points `(a, b)`, two float64 arrays of shape (k, 2), oriented with
            the domain on the left of a → b.
        """
        return None

    def corners(self) -> tuple[Corner, ...]:
        """The corners of a 2D boundary made of straight segments (see `Corner`).

        Returns:
            One `Corner` per vertex where two edges meet at an angle other than π (the
            polygon's vertices, a rectangle's four corners, the corners of CSG differences of
            polygons and of a 2D mesh's boundary); empty for curved boundaries and in 1D/3D.
        """
        return polyline_corners(self.boundary_segments())

    def classify_boundary(self, points) -> np.ndarray:
        """Index (into `boundary_parts()`) of the piece each boundary point lies on.

        Args:
            points: boundary points of shape (n, d).

        Returns:
            Integer array of shape (n,): the piece whose field is smallest in magnitude.
        """
        fields = [phi for _, phi in self.boundary_parts()]
        nearest = jax.jit(lambda p: jnp.argmin(
            jnp.stack([jnp.abs(jax.vmap(phi)(p)) for phi in fields]), axis=0))
        return np.asarray(nearest(jnp.asarray(points)))

    def boundary_blend(self, conditions):
        """A closed-form transfinite blend of Dirichlet data, where the shape has one.

        Args:
            conditions: per boundary part (in `boundary_parts()` order), `(kind, g)` with kind
                "dirichlet" or "neumann" and g(x, t) -> scalar.

        Returns:
            None (the default: no closed form, callers blend from `boundary_parts` and
            `boundary_segments`); else `(blend, factor)` with `blend(x, t)` equal to g on every
            Dirichlet part (None when there is none) and `factor(x)` vanishing exactly on the
            Dirichlet parts, positive elsewhere in the domain and O(1).
        """
        return None

    # -- device samplers ------------------------------------------------------------------
    @property
    def exact_device_sampling(self) -> bool:
        """Whether `sampler` and `boundary_sampler` draw exactly on device (on boxes); False
        means they pick rows of a fixed pool drawn once on the host."""
        return False

    def sampler(self, n: int, method: str = "random", *, dtype=jnp.float32):
        """A traceable function key -> `n` interior points, for use inside jitted steps.

        Exact shapes (`exact_device_sampling`) draw the points on device with `method`.
        Other shapes hold a fixed pool of max(20 n, 20000) points drawn once on the host
        (uniform rejection sampling, fixed key, cached per domain and pool size) and pick `n`
        rows uniformly with replacement; `method` then only has to be a device method.

        Args:
            n: number of points per call.
            method: "random", "lhs" or "sobol".
            dtype: floating dtype of the points.

        Returns:
            `sample(key) -> points` of shape (n, d), pure in `key`.

        Raises:
            TypeError: `n` is not an int.
            ValueError: `n` is not positive or `method` is not a device method.
        """
        n, method = check_count(n), check_device_method(method)
        return self._device_sampler(n, method, dtype)

    def boundary_counts(self, n: int, parts=None) -> tuple[int, ...]:
        """Rows per boundary part in `boundary_sampler(n, parts=parts)`, in part order.

        `n` is split over the chosen parts in proportion to their measure (largest remainders
        get the rest): exact face areas on a box, the parts' shares of the fixed boundary pool
        elsewhere. Parts not chosen get 0.

        Args:
            n: total number of boundary points.
            parts: indices into `boundary_parts()` to sample, or None for all.

        Returns:
            Tuple of ints, one per boundary part, summing to `n`.

        Raises:
            TypeError: `n` is not an int.
            ValueError: `n` is not positive or `parts` holds an unknown index.
        """
        return self._boundary_counts(check_count(n), self._check_parts(parts))

    def boundary_sampler(self, n: int, method: str = "random", *, parts=None, dtype=jnp.float32):
        """A traceable function key -> `n` boundary points and their outward unit normals.

        The rows come part by part (`boundary_parts()` order, `boundary_counts(n, parts)` rows
        each), each part with its own key split from the call's key. Boxes draw each face on
        device (box points with the face's coordinate pinned); other shapes pick rows with
        replacement from a fixed host pool of max(20 n, 20000) boundary points (fixed key,
        cached per domain and pool size) split by `classify_boundary`.

        Args:
            n: total number of boundary points per call.
            method: "random", "lhs" or "sobol".
            parts: indices into `boundary_parts()` to sample, or None for all.
            dtype: floating dtype of the points and normals.

        Returns:
            `sample(key) -> (points, normals)`, both of shape (n, d), pure in `key`.

        Raises:
            TypeError: `n` is not an int.
            ValueError: `n` is not positive, `method` is not a device method, or `parts` holds
                an unknown index.
        """
        n, method = check_count(n), check_device_method(method)
        parts = self._check_parts(parts)
        return self._device_boundary_sampler(self._boundary_counts(n, parts), method, dtype)

    def _check_parts(self, parts) -> tuple[int, ...]:
        count = len(self.boundary_parts())
        if parts is None:
            return tuple(range(count))
        parts = tuple(parts)
        bad = [p for p in parts if isinstance(p, bool) or not isinstance(p, (int, np.integer))
               or not 0 <= p < count]
        if bad or not parts:
            raise ValueError(
                f"parts must be a non-empty sequence of boundary part indices 0..{count - 1} "
                f"of {self!r}, got {parts!r}; see boundary_parts()."
            )
        return tuple(sorted({int(p) for p in parts}))

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

    def _device_sampler(self, n: int, method: str, dtype):
        """Default: rows of the fixed interior pool (`_pools`)."""
        return pooled_sampler(self, n, dtype)

    def _boundary_counts(self, n: int, parts: tuple[int, ...]) -> tuple[int, ...]:
        """Default: in proportion to the parts' shares of the fixed boundary pool."""
        return pooled_boundary_counts(self, n, parts)

    def _device_boundary_sampler(self, counts, method: str, dtype):
        """Default: rows of each part's share of the fixed boundary pool."""
        return pooled_boundary_sampler(self, counts, dtype)

    def _polyline(self):
        """All boundary segments (a, b) (domain on the left of a → b) when the whole boundary
        is one closed polyline, else None (the default)."""
        return None

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
