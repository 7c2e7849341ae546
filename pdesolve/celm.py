"""CELM: coupled extreme learning machines for the biharmonic equation (`pds.celm.solve`)."""

from .elm import FORMULATIONS as FORMULATIONS
from .elm import ELMSolution as ELMSolution
from .elm import solve_celm as solve

__all__ = ["FORMULATIONS", "ELMSolution", "solve"]
