"""PINNs for advection–diffusion: networks, the hard-constraint ansatz, losses, and baselines.

`solve(problem, *, key, variant=...)` trains a baseline: "pinn" (MLP, tanh, soft penalties),
"hcpinn" (MLP with the hard ansatz u = G + D·N) or "sfpinn" (multi-scale Fourier subnets with
soft penalties); `pdesolve.sfhcpinn.solve` trains the hard-constrained Fourier-subnet method.
Their settings are frozen objects checked when built: `Batches` (the points of every step),
`Architecture` (the network) and `pdesolve.training.Training` (steps, optimiser, checkpoints).
"""

from ._ansatz import hard_constraint as hard_constraint
from ._architecture import Architecture as Architecture
from ._batches import Batches as Batches
from ._model import Model as Model
from ._networks import MLP as MLP
from ._networks import FourierSubnets as FourierSubnets
from ._networks import count_parameters as count_parameters
from ._solution import PINNSolution as PINNSolution
from ._solve import evaluation_points as evaluation_points
from ._solve import fit as fit
from ._solve import solve_variant as solve_variant
from ._variants import solve as solve
