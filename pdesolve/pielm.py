"""PIELM: a physics-informed extreme learning machine for Poisson problems (`pds.pielm.solve`)."""

from .elm import ELMSolution as ELMSolution
from .elm import solve_pielm as solve

__all__ = ["ELMSolution", "solve"]
