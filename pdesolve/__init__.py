"""pdesolve: machine-learning PDE solvers in JAX (CELM for biharmonic problems, SFHCPINN for
advection–diffusion) over one geometry layer.

`pdesolve.plotting` (matplotlib) is imported on first use, so `import pdesolve` stays light.
"""

import importlib

from . import celm as celm
from . import elm as elm
from . import equations as equations
from . import fastmath as fastmath
from . import geometry as geometry
from . import io as io
from . import metrics as metrics
from . import operators as operators
from . import parallel as parallel
from . import pielm as pielm
from . import pinn as pinn
from . import plates as plates
from . import sfhcpinn as sfhcpinn
from . import solutions as solutions
from . import training as training
from . import validation as validation
from ._version import __version__ as __version__
from .equations import AdvectionDiffusion as AdvectionDiffusion
from .equations import Biharmonic as Biharmonic
from .equations import Poisson as Poisson
from .solutions import Solution as Solution
from .solutions import Status as Status


def __getattr__(name: str):
    if name == "plotting":
        return importlib.import_module(".plotting", __name__)
    raise AttributeError(f"module 'pdesolve' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), "plotting"])
