"""Constructive solid geometry: `Union`, `Intersection` and `Difference` of two domains.

They nest to any depth (`(a | b) - (c & d)`). Membership combines the operands' membership;
the interior is sampled by rejection from the bounding box; the boundary is sampled on each
operand's boundary in proportion to its boundary measure, keeping the parts that lie on the
result's boundary; the distance composes the operands' signed distances with R-functions.
Sampling raises RuntimeError when the result, or its boundary, turns out to be empty.
"""

import functools

import jax
import numpy as np

from ._check import check_domain
from ._domain import Domain
from ._rfunctions import r_and, r_or
from ._sampling import proportional_counts, seed_from_key

# boundary points drawn per operand to estimate which fraction lies on the result's boundary
_ESTIMATE_POINTS = 8192
_ESTIMATE_SEED = 20221


class _CSG(Domain):
    """Shared machinery of the binary CSG operations; see the subclasses."""

    _symbol = "?"

    def __init__(self, a: Domain, b: Domain):
        for name, operand in (("a", a), ("b", b)):
            check_domain(operand, f"CSG operand {name}")
        if a.dim != b.dim:
            raise ValueError(
                f"CSG operands must have the same dimension, got {a.dim}-D {a!r} and "
                f"{b.dim}-D {b!r}; combine domains of one dimension."
            )
        self.a, self.b = a, b
        self.dim = a.dim
        self.bbox = self._bbox()
        self._delta = 1e-7 * float(np.max(self.bbox[1] - self.bbox[0]))

    def __repr__(self):
        return f"({self.a!r} {self._symbol} {self.b!r})"

    # -- boundary -----------------------------------------------------------------------------
    def _operand_boundary(self, which, n, key, method):
        """Boundary samples of operand `which` (0 or 1) with the normals this result uses."""
        return (self.a, self.b)[which]._sample_boundary(n, key, method)

    def _keep(self, which, points, normals):
        """Mask of operand-boundary samples that lie on this result's boundary."""
        raise NotImplementedError

    def _probes(self, points, normals):
        return points - self._delta * normals, points + self._delta * normals

    @functools.cached_property
    def _keep_fractions(self) -> tuple[float, float]:
        """Estimated fraction of each operand's boundary that lies on the result's boundary."""
        key = jax.random.PRNGKey(_ESTIMATE_SEED)
        fractions = []
        for which, sub in enumerate(jax.random.split(key)):
            p, nrm = self._operand_boundary(which, _ESTIMATE_POINTS, sub, "sobol")
            fractions.append(float(np.mean(self._keep(which, p, nrm))))
        return fractions[0], fractions[1]

    @property
    def _operand_weights(self) -> np.ndarray:
        return np.array([self.a.boundary_measure, self.b.boundary_measure], dtype=np.float64)

    @property
    def boundary_measure(self) -> float:
        """Estimated boundary measure Σ_operands |∂operand| · (fraction of it on the result's
        boundary); the fractions are Monte-Carlo estimates from 8192 scrambled-Sobol points per
        operand (a fixed key, so the value is deterministic), accurate to well under 1 %."""
        return float(np.dot(self._operand_weights, self._keep_fractions))

    def _sample_boundary(self, n, key, method):
        if method == "grid":
            raise ValueError(
                f"method='grid' is not supported on the boundary of a CSG {type(self).__name__}; "
                "use 'sobol' or 'halton' for evenly spread points."
            )
        weights = self._operand_weights
        rate = float(np.dot(weights, self._keep_fractions) / weights.sum())
        points, normals, have, attempts = [], [], 0, 0
        while have < n:
            attempts += 1
            if attempts > 100:
                raise RuntimeError(
                    f"boundary sampling of {self!r} kept too few points; its boundary may be empty."
                )
            want = int((n - have) / max(rate, 0.01) * 1.1) + 16
            key, k0, k1 = jax.random.split(key, 3)
            counts = proportional_counts(want, weights)
            for which, (count, sub) in enumerate(zip(counts, (k0, k1), strict=True)):
                if count == 0:
                    continue
                p, nrm = self._operand_boundary(which, count, sub, method)
                mask = self._keep(which, p, nrm)
                points.append(p[mask])
                normals.append(nrm[mask])
                have += int(mask.sum())
        order = np.random.default_rng(seed_from_key(key)).permutation(have)[:n]
        return np.concatenate(points)[order], np.concatenate(normals)[order]

    def _bbox(self):
        raise NotImplementedError


class Union(_CSG):
    """A ∪ B (also `a | b`).

    Distance: R-disjunction φ_A + φ_B + √(φ_A² + φ_B²). Boundary: A's boundary outside B and
    B's boundary outside A (shared faces are kept once, interfaces inside A ∪ B are dropped).

    Args:
        a, b: domains of one dimension.

    Raises:
        TypeError: an operand is not a Domain.
        ValueError: the dimensions differ.
    """

    _symbol = "|"

    def _bbox(self):
        lo = np.minimum(self.a.bbox[0], self.b.bbox[0])
        return lo, np.maximum(self.a.bbox[1], self.b.bbox[1])

    def _contains(self, x):
        return self.a._contains(x) | self.b._contains(x)

    def _contains_open(self, x):
        return self.a._contains_open(x) | self.b._contains_open(x)

    def _keep(self, which, points, normals):
        inward, outward = self._probes(points, normals)
        if which == 0:
            return ~self.b._contains(outward)
        return ~self.a._contains(outward) & ~self.a._contains(inward)

    def _distance(self, x):
        return r_or(self.a._distance(x), self.b._distance(x))


class Intersection(_CSG):
    """A ∩ B (also `a & b`).

    Distance: R-conjunction φ_A + φ_B − √(φ_A² + φ_B²). Boundary: A's boundary inside B and
    B's boundary inside A (shared faces kept once). The bounding box is the overlap of the
    operands' boxes.

    Args:
        a, b: domains of one dimension.

    Raises:
        TypeError: an operand is not a Domain.
        ValueError: the dimensions differ, or the bounding boxes do not overlap (empty result).
    """

    _symbol = "&"

    def _bbox(self):
        lo = np.maximum(self.a.bbox[0], self.b.bbox[0])
        hi = np.minimum(self.a.bbox[1], self.b.bbox[1])
        if np.any(lo >= hi):
            raise ValueError(
                f"the intersection of {self.a!r} and {self.b!r} is empty (their bounding boxes "
                "do not overlap); intersect overlapping domains."
            )
        return lo, hi

    def _contains(self, x):
        return self.a._contains(x) & self.b._contains(x)

    def _contains_open(self, x):
        return self.a._contains_open(x) & self.b._contains_open(x)

    def _keep(self, which, points, normals):
        inward, outward = self._probes(points, normals)
        if which == 0:
            return self.b._contains(inward)
        return self.a._contains(inward) & self.a._contains(outward)

    def _distance(self, x):
        return r_and(self.a._distance(x), self.b._distance(x))


class Difference(_CSG):
    """A − B = A ∩ (closure of the complement of B) (also `a - b`).

    Distance: R-conjunction of φ_A and −φ_B. Boundary: A's boundary outside B, and B's boundary
    inside A with its normals flipped (a hole's normals point into the hole, i.e. out of A − B).
    The bounding box is A's. The boundary of B belongs to the (closed) result.

    Args:
        a: the domain to cut from.
        b: the domain cut away.

    Raises:
        TypeError: an operand is not a Domain.
        ValueError: the dimensions differ.
    """

    _symbol = "-"

    def _bbox(self):
        return self.a.bbox[0].copy(), self.a.bbox[1].copy()

    def _contains(self, x):
        return self.a._contains(x) & ~self.b._contains_open(x)

    def _contains_open(self, x):
        return self.a._contains_open(x) & ~self.b._contains(x)

    def _operand_boundary(self, which, n, key, method):
        points, normals = super()._operand_boundary(which, n, key, method)
        return (points, normals) if which == 0 else (points, -normals)

    def _keep(self, which, points, normals):
        inward, outward = self._probes(points, normals)
        if which == 0:
            return ~self.b._contains(inward)
        return self.a._contains(inward) & self.a._contains(outward)

    def _distance(self, x):
        return r_and(self.a._distance(x), -self.b._distance(x))

    def _outer_and_holes(self):
        """(A, [B1, …, Bm]) of A − B1 − … − Bm (left-nested differences, A not a difference)."""
        outer, holes = self, []
        while isinstance(outer, Difference):
            holes.insert(0, outer.b)
            outer = outer.a
        return outer, holes

    def boundary_parts(self) -> tuple:
        """"outer" (∂A, field φ_A) and "hole1", …, "holem" (∂B_i, field −φ_{B_i}) of
        A − B1 − … − Bm."""
        outer, holes = self._outer_and_holes()
        return (("outer", outer._distance),
                *((f"hole{i + 1}", lambda x, h=hole: -h._distance(x))
                  for i, hole in enumerate(holes)))

    def boundary_segments(self):
        """The operands' polylines, the holes' reversed (clockwise), when all are polylines."""
        outer, holes = self._outer_and_holes()
        pieces = [outer._polyline()] + [hole._polyline() for hole in holes]
        if any(p is None for p in pieces):
            return None
        return (pieces[0], *((b, a) for a, b in pieces[1:]))
