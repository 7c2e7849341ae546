"""Axis-aligned boxes: `Box` in any dimension, `Rectangle` (2D) and `Interval` (1D)."""

import jax
import jax.numpy as jnp
import numpy as np

from ..validation import as_coordinates, reject_unknown_options
from ._coons import coons_blend, dirichlet_axes, face_factor
from ._corners import rectangle_corners
from ._device_sampling import box_face_sampler, box_points, stacked
from ._domain import Domain
from ._rfunctions import r_and_all
from ._sampling import grid_side, proportional_counts, unit_cube

# other names of the faces "x{k}∓", by dimension
FACE_ALIASES = {
    1: {"left": 0, "right": 1},
    2: {"left": 0, "right": 1, "bottom": 2, "top": 3},
    3: {"left": 0, "right": 1, "front": 2, "back": 3, "bottom": 4, "top": 5},
}


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
        """Measure of each face 2k + side (1 per end point in 1D)."""
        sides = self.hi - self.lo
        areas = np.array([np.prod(np.delete(sides, k)) for k in range(self.dim)])
        return np.repeat(areas, 2)

    def boundary_parts(self) -> tuple:
        """One piece per face: "x{k}-" (x_k = lo_k, field x_k − lo_k) and "x{k}+" (x_k = hi_k,
        field hi_k − x_k), face 2k + side."""
        lo, hi = self.lo.tolist(), self.hi.tolist()
        return tuple(
            (f"x{k}{'-+'[side]}", _face_field(k, side, lo[k], hi[k]))
            for k in range(self.dim)
            for side in (0, 1)
        )

    def part_aliases(self) -> dict[str, int]:
        """"left"/"right" (x0−/x0+); in 2D "bottom"/"top" (x1−/x1+); in 3D "front"/"back"
        (x1∓) and "bottom"/"top" (x2∓)."""
        return dict(FACE_ALIASES.get(self.dim, {}))

    def corners(self):
        """A rectangle's four right-angle corners; none in 1D and 3D."""
        return rectangle_corners(self.lo, self.hi) if self.dim == 2 else ()

    def boundary_blend(self, conditions):
        """The Coons blend of the Dirichlet faces' data and their face factor (`_coons`)."""
        axes = dirichlet_axes(conditions, self.dim)
        blend = coons_blend(self.lo, self.hi, conditions, axes) if axes else None
        return blend, face_factor(self.lo, self.hi, axes)

    @property
    def exact_device_sampling(self) -> bool:
        return True

    def _device_sampler(self, n, method, dtype):
        lo, hi = self.bbox
        return lambda key: box_points(key, n, lo, hi, method, dtype)

    def _boundary_counts(self, n, parts):
        areas = self._face_areas()
        counts = np.zeros(2 * self.dim, dtype=int)
        counts[list(parts)] = proportional_counts(n, areas[list(parts)])
        return tuple(int(c) for c in counts)

    def _device_boundary_sampler(self, counts, method, dtype):
        return stacked([
            box_face_sampler(self.lo, self.hi, *divmod(face, 2), int(count), method, dtype)
            for face, count in enumerate(counts) if count
        ])

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
        face_areas = self._face_areas()
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


def _face_field(k, side, lo, hi):
    if side:
        return lambda x: hi - x[k]
    return lambda x: x[k] - lo


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

