"""A Kirchhoff plate: bending stiffness from material and thickness, its biharmonic problem."""

import dataclasses

import jax.numpy as jnp
import numpy as np

from ..equations import Biharmonic

SUPPORTS = ("simply_supported", "clamped")


@dataclasses.dataclass(frozen=True)
class KirchhoffPlate:
    """A thin elastic plate: D Δ²w = q, bending stiffness D = E h³ / (12 (1 − ν²)).

    Args:
        young: Young's modulus E > 0.
        poisson: Poisson's ratio ν, −1 < ν < 1/2.
        thickness: the plate thickness h > 0.

    Raises:
        ValueError: a value out of its range (checked when the plate is built).
    """

    young: float = 1.0
    poisson: float = 0.3
    thickness: float = 1.0

    def __post_init__(self):
        for name, lower in (("young", 0.0), ("thickness", 0.0)):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and np.isfinite(value) and value > lower):
                raise ValueError(f"KirchhoffPlate {name} must be a finite number > 0, got "
                                 f"{value!r}.")
        nu = self.poisson
        if not (isinstance(nu, (int, float)) and -1.0 < nu < 0.5):
            raise ValueError(f"KirchhoffPlate poisson (ν) must lie in (−1, 1/2), got {nu!r}; "
                             "ν = 0.3 is typical of steel.")

    @property
    def stiffness(self) -> float:
        """D = E h³ / (12 (1 − ν²))."""
        return self.young * self.thickness**3 / (12.0 * (1.0 - self.poisson**2))

    def problem(self, domain, load, support: str = "simply_supported") -> Biharmonic:
        """The deflection problem Δ²w = q / D with w = 0 on the edges.

        `support="simply_supported"`: w = 0 and zero normal bending moment; on straight edges
        the latter is Δw = 0, so the problem is Navier's (exact for polygons; on a curved
        edge the true condition is Δw = (1 − ν) κ ∂w/∂n, not modelled here).
        `support="clamped"`: w = 0 and ∂w/∂n = 0.

        Args:
            domain: the plate's mid-surface, a 2D `pdesolve.geometry.Domain`.
            load: the transverse load q, a function x (2,) -> scalar (see `pdesolve.plates`
                loads: `uniform`, `rectangle_patch`, `disk_patch`, `concentrated`).
            support: "simply_supported" or "clamped".

        Returns:
            A `pds.Biharmonic` (exact solution unknown; compare with
            `simply_supported_rectangle` on rectangles).

        Raises:
            ValueError: an unknown `support` or a domain that is not 2D.
            TypeError: `load` is not a pointwise function.
        """
        if support not in SUPPORTS:
            raise ValueError(f"support must be one of {SUPPORTS}, got {support!r}.")
        if getattr(domain, "dim", None) != 2:
            raise ValueError(f"a Kirchhoff plate needs a 2D domain, got {domain!r}.")
        if not callable(load):
            raise TypeError(f"load must be a function x (2,) -> scalar, got {load!r}; use "
                            "pdesolve.plates.uniform(q) for a constant load.")
        stiffness = self.stiffness

        def f(x):
            return load(x) / stiffness

        def zero(x, *normal):
            return jnp.zeros((), dtype=jnp.result_type(x))

        if support == "simply_supported":
            return Biharmonic(domain, f, zero, h=zero)
        return Biharmonic(domain, f, zero, dudn=zero)
