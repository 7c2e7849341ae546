"""`Collocation`: the fixed point set an ELM imposes its equations at, as one setting."""

import dataclasses

from ..validation import SAMPLING_METHODS, check_choice, check_positive_int


@dataclasses.dataclass(frozen=True, eq=False)
class Collocation:
    """Where the interior and boundary rows of an ELM's least squares are imposed.

    Args:
        n_interior: interior points (None: by dimension, see `pdesolve.elm._defaults`).
        n_boundary: boundary points, spread by boundary measure (None: by dimension).
        sampling: point-set method of the geometry layer ("halton", "sobol", "random", ...).
        interior_points: optional explicit interior points (n, d), replacing n_interior.
        boundary_points: optional explicit (points (n, d), outward normals (n, d)), replacing
            n_boundary (their shapes are checked against the problem by the solve).

    Raises:
        TypeError, ValueError: a bad count or method, naming the setting (at construction).
    """

    n_interior: int | None = None
    n_boundary: int | None = None
    sampling: str = "halton"
    interior_points: object = None
    boundary_points: object = None

    def __post_init__(self):
        if self.n_interior is not None:
            check_positive_int(self.n_interior, "n_interior",
                               hint="it counts interior collocation points.")
        if self.n_boundary is not None:
            check_positive_int(self.n_boundary, "n_boundary",
                               hint="it counts boundary collocation points.")
        check_choice(self.sampling, "sampling", SAMPLING_METHODS)
