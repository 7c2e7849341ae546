"""`Batches`: the points a PINN draws afresh at every training step, as one setting."""

import dataclasses

from ..geometry import check_device_method
from ..validation import check_positive_int


@dataclasses.dataclass(frozen=True)
class Batches:
    """The collocation points of every training step, drawn on the device from the step's key.

    Args:
        n_interior: interior (x, t) points per step.
        n_boundary: boundary points per step (on the Neumann parts only for the hard-constrained
            variants, on every part for the soft ones).
        n_initial: initial-slice points per step (used by the soft variants only).
        sampling: "random", "lhs" or "sobol" (a randomly shifted Sobol' set).

    Raises:
        TypeError, ValueError: a bad count or method, naming the setting (at construction).
    """

    n_interior: int = 2000
    n_boundary: int = 500
    n_initial: int = 500
    sampling: str = "random"

    def __post_init__(self):
        for name in ("n_interior", "n_boundary", "n_initial"):
            check_positive_int(getattr(self, name), name)
        check_device_method(self.sampling)
