"""Extreme learning machines: random features, row assembly, least squares, PIELM and CELM."""

from ._assembly import RowGroup as RowGroup
from ._driver import BACKENDS as BACKENDS
from ._features import ACTIVATIONS as ACTIVATIONS
from ._features import Network as Network
from ._features import activation_derivative as activation_derivative
from ._features import apply_operator as apply_operator
from ._features import init_network as init_network
from ._lstsq import FINISHES as FINISHES
from ._lstsq import SOLVERS as SOLVERS
from ._lstsq import least_squares as least_squares
from ._solution import ELMSolution as ELMSolution
