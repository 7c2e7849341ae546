"""PIELM: a physics-informed extreme learning machine for Poisson problems (`pds.pielm.solve`)."""

from .elm._pielm import solve as solve
from .elm._solution import ELMSolution as ELMSolution
