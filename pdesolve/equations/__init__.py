"""Problem classes: Poisson, Biharmonic and AdvectionDiffusion, each with `.manufactured`."""

from ._advection_diffusion import AdvectionDiffusion as AdvectionDiffusion
from ._biharmonic import Biharmonic as Biharmonic
from ._poisson import Poisson as Poisson
