"""Axis-aligned boxes: `Box` in any dimension, `Rectangle` (2D) and `Interval` (1D)."""

import jax
import jax.numpy as jnp
import numpy as np

from ..validation import as_coordinates, reject_unknown_options
from ._domain import Domain
from ._rfunctions import r_and_all
from ._sampling import grid_side, proportional_counts, unit_cube


class Box(Domain):
    """The box [lo_1, hi_1] × … × [lo_d, hi_d].

    Args:
        lo: lower corner, shape (d,).
        hi: upper corner, shape (d,); hi > lo in every axis.

    Raises:
        TypeError: coordinates that are not real numbers.
        ValueError: shapes differ, no coordinates, coordinates are not finite, or lo ≥ hi in
            some axis.
    """

    @reject_unknown_options
    def __init__(self, lo, hi):
        lo = as_coordinates(lo, "lo")
        hi = as_coordinates(hi, "hi", dim=lo.shape[0])
        bad = np.nonzero(lo >= hi)[0]
        if bad.size:
            k = int(bad[0])
            raise ValueError(
                f"lo must be below hi in every axis, got lo[{k}]={lo[k]} >= hi[{k}]={hi[k]}; "
                "swap them or widen the box."
            )
        self.lo, self.hi = lo, hi
        self.dim = lo.shape[0]
        self.bbox = (lo.copy(), hi.copy())

    def __repr__(self):
        return f"{type(self).__name__}(lo={self.lo.tolist()}, hi={self.hi.tolist()})"

    @property
    def measure(self) -> float:
        return float(np.prod(self.hi - self.lo))

    @property
    def boundary_measure(self) -> float:
        if self.dim == 1:
            return 2.0
        return float(sum(self._face_areas()))

    def _face_areas(self) -> np.ndarray:
        sides = self.hi - self.lo
        areas = np.array([np.prod(np.delete(sides, k)) for k in range(self.dim)])
        return np.repeat(areas, 2)

    def _contains(self, x):
        eps = 1e-12 * np.max(self.hi - self.lo)
        return np.all((x >= self.lo - eps) & (x <= self.hi + eps), axis=1)

    def _contains_open(self, x):
        eps = 1e-12 * np.max(self.hi - self.lo)
        return np.all((x > self.lo + eps) & (x < self.hi - eps), axis=1)

    def _sample_interior(self, n, key, method):
        return self.lo + (self.hi - self.lo) * unit_cube(n, self.dim, key=key, method=method)

    def _sample_boundary(self, n, key, method):
        d = self.dim
        face_areas = self._face_areas() if d > 1 else np.ones(2)
        if method == "grid":
            counts = self._grid_face_counts(n, face_areas)
        else:
            counts = proportional_counts(n, face_areas)
        keys = jax.random.split(key, 2 * d)
        points, normals = [], []
        for face, count in enumerate(counts):
            if count == 0:
                continue
            axis, side = divmod(face, 2)
            free = unit_cube(count, d - 1, key=keys[face], method=method)
            pts = np.empty((count, d))
            others = [k for k in range(d) if k != axis]
            pts[:, others] = self.lo[others] + (self.hi[others] - self.lo[others]) * free
            pts[:, axis] = self.hi[axis] if side else self.lo[axis]
            nrm = np.zeros((count, d))
            nrm[:, axis] = 1.0 if side else -1.0
            points.append(pts)
            normals.append(nrm)
        return np.concatenate(points), np.concatenate(normals)

    def _grid_face_counts(self, n, face_areas):
        if n % len(face_areas):
            raise ValueError(
                f"method='grid' on the boundary of a {self.dim}-D box needs n divisible by "
                f"{len(face_areas)} (one equal grid per face), got n={n}."
            )
        per_face = n // len(face_areas)
        if self.dim > 1:
            grid_side(per_face, self.dim - 1)
        return [per_face] * len(face_areas)

    def _distance(self, x):
        lo, hi = jnp.asarray(self.lo), jnp.asarray(self.hi)
        phis = (x - lo) * (hi - x) / (hi - lo)
        return r_and_all([phis[k] for k in range(self.dim)])


class Rectangle(Box):
    """The 2D box [lo_0, hi_0] × [lo_1, hi_1]; see `Box`."""

    @reject_unknown_options
    def __init__(self, lo, hi):
        super().__init__(as_coordinates(lo, "lo", dim=2), as_coordinates(hi, "hi", dim=2))


class Interval(Box):
    """The interval [a, b] as a 1D domain; its boundary is the two end points.

    Args:
        a: left end.
        b: right end, b > a.

    Raises:
        TypeError: a or b is not a real number.
        ValueError: a or b is not finite, or a ≥ b.
    """

    @reject_unknown_options
    def __init__(self, a, b):
        a, b = as_coordinates(a, "a", dim=1), as_coordinates(b, "b", dim=1)
        if a[0] >= b[0]:
            raise ValueError(f"a must be below b, got a={float(a[0])} >= b={float(b[0])} "
                             f"(lo[0]={float(a[0])} >= hi[0]={float(b[0])}); swap them.")
        super().__init__(a, b)

    def __repr__(self):
        return f"Interval({self.lo[0]}, {self.hi[0]})"

