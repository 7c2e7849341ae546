"""Problem classes: a PDE, its domain, its data functions and (when known) its exact solution."""

from ._biharmonic import Biharmonic as Biharmonic
from ._poisson import Poisson as Poisson
