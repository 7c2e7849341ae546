"""Extreme learning machines: random features, row assembly, least squares, PIELM and CELM.

A solve's settings are three frozen objects (`RandomFeatures`, `LeastSquares`,
`Collocation`), checked when built; `celm.solve` and `pielm.solve` take them or their fields
as keywords.
"""

from ._assembly import RowGroup as RowGroup
from ._collocation import Collocation as Collocation
from ._features import ACTIVATIONS as ACTIVATIONS
from ._features import Network as Network
from ._features import activation_derivative as activation_derivative
from ._features import apply_operator as apply_operator
from ._features import init_network as init_network
from ._least_squares_settings import BACKENDS as BACKENDS
from ._least_squares_settings import LeastSquares as LeastSquares
from ._lstsq import SOLVERS as SOLVERS
from ._lstsq import least_squares as least_squares
from ._random_features import RandomFeatures as RandomFeatures
from ._solution import ELMSolution as ELMSolution
