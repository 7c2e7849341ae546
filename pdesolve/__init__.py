"""pdesolve: machine-learning PDE solvers in JAX (CELM for biharmonic problems, SFHCPINN for
advection–diffusion) over one geometry layer."""

from . import celm as celm
from . import elm as elm
from . import equations as equations
from . import geometry as geometry
from . import io as io
from . import metrics as metrics
from . import operators as operators
from . import parallel as parallel
from . import pielm as pielm
from . import pinn as pinn
from . import sfhcpinn as sfhcpinn
from . import training as training
from . import validation as validation
from ._version import __version__ as __version__
from .equations import AdvectionDiffusion as AdvectionDiffusion
from .equations import Biharmonic as Biharmonic
from .equations import Poisson as Poisson


def __getattr__(name):
    """`pdesolve.plotting` is imported on first use (it imports matplotlib, ~0.5 s)."""
    if name == "plotting":
        import importlib

        return importlib.import_module(f"{__name__}.plotting")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
