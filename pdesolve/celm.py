"""CELM: coupled extreme learning machines for the biharmonic equation (`pds.celm.solve`)."""

from .elm._celm import FORMULATIONS as FORMULATIONS
from .elm._celm import solve as solve
from .elm._solution import ELMSolution as ELMSolution
