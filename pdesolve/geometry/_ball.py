"""Balls in any dimension: `Ball` and its 2D name `Disk`."""

import math

import jax.numpy as jnp
import numpy as np
from scipy.special import ndtri

from ..validation import as_coordinates, as_positive_scalar, reject_unknown_options
from ._domain import Domain
from ._sampling import unit_cube


class Ball(Domain):
    """The closed ball |x − center| ≤ radius.

    Args:
        center: centre, shape (d,).
        radius: radius > 0.

    Raises:
        TypeError: centre or radius not real numbers.
        ValueError: non-finite centre, or radius not finite and positive.
    """

    @reject_unknown_options
    def __init__(self, center, radius):
        self.center = as_coordinates(center, "center")
        self.radius = as_positive_scalar(radius, "radius")
        self.dim = self.center.shape[0]
        self.bbox = (self.center - self.radius, self.center + self.radius)

    def __repr__(self):
        return f"{type(self).__name__}(center={self.center.tolist()}, radius={self.radius})"

    @property
    def measure(self) -> float:
        d = self.dim
        return math.pi ** (d / 2) / math.gamma(d / 2 + 1) * self.radius**d

    @property
    def boundary_measure(self) -> float:
        d = self.dim
        if d == 1:
            return 2.0
        return 2 * math.pi ** (d / 2) / math.gamma(d / 2) * self.radius ** (d - 1)

    def _contains(self, x):
        r = np.linalg.norm(x - self.center, axis=1)
        return r <= self.radius * (1 + 1e-12)

    def _contains_open(self, x):
        r = np.linalg.norm(x - self.center, axis=1)
        return r < self.radius * (1 - 1e-12)

    def _sample_interior(self, n, key, method):
        d = self.dim
        if method == "grid" or d > 3:
            return super()._sample_interior(n, key, method)
        cube = unit_cube(n, d, key=key, method=method)
        if d == 1:
            return self.center + self.radius * (2 * cube - 1)
        radii = self.radius * cube[:, :1] ** (1.0 / d)
        return self.center + radii * _sphere_from_cube(cube[:, 1:], d)

    def _sample_boundary(self, n, key, method):
        if method == "grid":
            raise ValueError("method='grid' is not supported on a ball's boundary; use 'sobol'.")
        if self.dim == 1:
            normals = np.where(np.arange(n)[:, None] % 2 == 0, -1.0, 1.0)
        else:
            k = self.dim - 1 if self.dim <= 3 else self.dim
            normals = _sphere_from_cube(unit_cube(n, k, key=key, method=method), self.dim)
        return self.center + self.radius * normals, normals

    def _distance(self, x):
        r2 = jnp.sum((x - jnp.asarray(self.center)) ** 2)
        return (self.radius**2 - r2) / (2 * self.radius)


class Disk(Ball):
    """The closed disk |x − center| ≤ radius in 2D; see `Ball`."""

    @reject_unknown_options
    def __init__(self, center, radius):
        super().__init__(as_coordinates(center, "center", dim=2), radius)


def _sphere_from_cube(u: np.ndarray, d: int) -> np.ndarray:
    """Map points of the unit cube to the unit sphere in R^d, preserving uniformity.

    2D (u of shape (n, 1)) uses the angle map and 3D (u of shape (n, 2)) the Archimedes
    cylinder map: both preserve measure, so low-discrepancy sets stay evenly spread. From 4D
    on, u has shape (n, d) and its Gaussian images are normalised.
    """
    if d == 2:
        angle = 2 * np.pi * u[:, 0]
        return np.stack([np.cos(angle), np.sin(angle)], axis=1)
    if d == 3:
        z = 1 - 2 * u[:, 0]
        phi = 2 * np.pi * u[:, 1]
        rho = np.sqrt(np.clip(1 - z**2, 0.0, None))
        return np.stack([rho * np.cos(phi), rho * np.sin(phi), z], axis=1)
    g = ndtri(np.clip(u, 1e-12, 1 - 1e-12))
    return g / np.linalg.norm(g, axis=1, keepdims=True)
