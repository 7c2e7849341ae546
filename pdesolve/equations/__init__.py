"""Problem classes: PDE, domain and data functions, with the exact solution when known."""

from ._advection_diffusion import AdvectionDiffusion as AdvectionDiffusion
