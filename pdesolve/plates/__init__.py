"""Kirchhoff plates: material to stiffness, loads, the biharmonic problem, bending moments and
series references for simply supported rectangles."""

from ._loads import concentrated as concentrated
from ._loads import disk_patch as disk_patch
from ._loads import rectangle_patch as rectangle_patch
from ._loads import uniform as uniform
from ._moments import bending_moments as bending_moments
from ._plate import SUPPORTS as SUPPORTS
from ._plate import KirchhoffPlate as KirchhoffPlate
from ._series import simply_supported_patch as simply_supported_patch
from ._series import simply_supported_uniform as simply_supported_uniform
