"""Extreme learning machines: random features, row assembly, least squares, PIELM and CELM.

A solve's settings are three frozen objects (`RandomFeatures`, `LeastSquares`,
`Collocation`), checked when built; `celm.solve` and `pielm.solve` take them or their fields
as keywords.
"""

from ._assembly import RowGroup as RowGroup
from ._assembly import iter_blocks as iter_blocks
from ._celm import FORMULATIONS as FORMULATIONS
from ._celm import celm_row_groups as celm_row_groups
from ._celm import solve as solve_celm
from ._collocation import Collocation as Collocation
from ._corner_lift import CornerLift as CornerLift
from ._corner_lift import corner_lift as corner_lift
from ._driver import evaluate as evaluate_data
from ._driver import make_networks as make_networks
from ._features import ACTIVATIONS as ACTIVATIONS
from ._features import Network as Network
from ._features import activation_derivative as activation_derivative
from ._features import apply_operator as apply_operator
from ._features import init_network as init_network
from ._least_squares_settings import BACKENDS as BACKENDS
from ._least_squares_settings import LeastSquares as LeastSquares
from ._lstsq import FINISHES as FINISHES
from ._lstsq import SOLVERS as SOLVERS
from ._lstsq import dense_matrix as dense_matrix
from ._lstsq import least_squares as least_squares
from ._pielm import solve as solve_pielm
from ._random_features import RandomFeatures as RandomFeatures
from ._solution import ELMSolution as ELMSolution
