"""`RandomFeatures`: the frozen random-feature networks of an ELM solve, as one setting."""

import dataclasses

from ..validation import as_positive_scalar, check_bool, check_choice, check_positive_int
from ._features import ACTIVATIONS, INITS


@dataclasses.dataclass(frozen=True)
class RandomFeatures:
    """How the features φ_j(x) = σ(w_j·x̂ + b_j) of each network are drawn.

    x̂ = (x − c)/r maps the domain's bounding box (centre c, half-width r) to the reference
    box [−1, 1]^d; (w_j, b_j) ~ U[−s, s] or N(0, s²) stay frozen, only the output weights β
    are solved for.

    Args:
        hidden: width M of each network (None: by dimension, see `pdesolve.elm._defaults`).
        activation: σ: "sin", "tanh", "gauss", "trig" (½ sin + ½ cos) or "fourier"
            ([sin, cos], width 2M).
        scale: s > 0 (None: by dimension).
        init: "uniform" (U[−s, s]) or "normal" (N(0, s²)).
        normalize: draw the features for the reference box (False: in x itself).

    Raises:
        TypeError, ValueError: a bad value, naming the setting (at construction).
    """

    hidden: int | None = None
    activation: str = "sin"
    scale: float | None = None
    init: str = "uniform"
    normalize: bool = True

    def __post_init__(self):
        if self.hidden is not None:
            check_positive_int(self.hidden, "hidden",
                               hint="it is the width M of each random-feature network.")
        check_choice(self.activation, "activation", ACTIVATIONS)
        if self.scale is not None:
            as_positive_scalar(self.scale, "scale",
                               "weights and biases are drawn from U[-scale, scale].")
        check_choice(self.init, "init", INITS)
        check_bool(self.normalize, "normalize")
