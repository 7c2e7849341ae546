"""`Architecture`: the network of a PINN fit, as one setting."""

import dataclasses

from . import _checks


@dataclasses.dataclass(frozen=True)
class Architecture:
    """The network N of a PINN: an MLP (variants "pinn", "hcpinn") or the multi-scale Fourier
    subnetworks N(z) = (1/K) Σ_k o_k(z)/a_k (variants "sfhcpinn", "sfpinn").

    Args:
        widths: hidden-layer widths (per subnet for the Fourier networks); None: the
            variant's default ((10, 20, 20, 10, 10) for the Fourier subnets on inputs of
            dimension ≤ 2, (10, 20, 20, 20, 10) above; (100, 150, 80, 80, 50) for the MLP).
        scales: the Fourier subnets' scales a_k (None: 1–6, 8, …, 40); unused by the MLP.
        activation: None (the variant's default: "sin" for the Fourier subnets, "tanh" for
            the MLP) or a name of `pdesolve.pinn` activations.

    Raises:
        TypeError, ValueError: a bad value, naming the setting (at construction).
    """

    widths: tuple | None = None
    scales: tuple | None = None
    activation: str | None = None

    def __post_init__(self):
        # stored as tuples of the given numbers, so equal settings build equal networks
        object.__setattr__(self, "widths", _checks.check_widths(self.widths))
        object.__setattr__(self, "scales", _checks.check_scales(self.scales))
        _checks.check_activation(self.activation)
