"""Small duck-typed domains for the plotting/io tests (independent of the CSG code)."""

import jax
import numpy as np


class Shell:
    """{r_in ≤ |x − c| ≤ r_out} in 2D (an annulus: a disk minus a disk) or 3D (a shell)."""

    def __init__(self, dim=2, r_in=0.4, r_out=1.0):
        self.dim, self.r_in, self.r_out = dim, r_in, r_out
        self.bbox = (-r_out * np.ones(dim), r_out * np.ones(dim))

    @property
    def boundary_measure(self):
        return 2 * np.pi * (self.r_in + self.r_out) if self.dim == 2 else None

    def contains(self, x):
        r = np.linalg.norm(np.atleast_2d(x), axis=1)
        return (r >= self.r_in - 1e-12) & (r <= self.r_out + 1e-12)

    def sample_boundary(self, n, *, key, method="random"):
        g = np.array(jax.random.normal(key, (n, self.dim)), dtype=np.float64)
        g /= np.linalg.norm(g, axis=1, keepdims=True)
        outer = np.arange(n) < n * self.r_out / (self.r_in + self.r_out)
        radius = np.where(outer, self.r_out, self.r_in)[:, None]
        return g * radius, np.where(outer[:, None], g, -g)


class Segment:
    """[a, b] in 1D."""

    dim = 1

    def __init__(self, a=0.0, b=1.0):
        self.bbox = (np.array([a]), np.array([b]))

    def contains(self, x):
        x = np.asarray(x).reshape(-1)
        return (x >= self.bbox[0][0]) & (x <= self.bbox[1][0])


class TriangleMesh:
    """A two-triangle mesh of the unit square (points + cells, like geometry.Mesh)."""

    dim = 2
    points = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    cells = np.array([[0, 1, 2], [0, 2, 3]])
    bbox = (np.zeros(2), np.ones(2))

    def contains(self, x):
        x = np.atleast_2d(x)
        return np.all((x >= 0) & (x <= 1), axis=1)


def smooth(x):
    """u(x) = sin x0 cos x1 (vectorised), the synthetic field of the tests."""
    x = np.asarray(x)
    return np.sin(x[:, 0]) * np.cos(x[:, 1])


class FakeProblem:
    def __init__(self, domain, exact, t_span=None):
        self.domain, self.exact, self.t_span = domain, exact, t_span


class FakeSolution:
    """A solution-like callable: `u(x)` or `u(x, t)` plus `.problem` and `.info`."""

    def __init__(self, u, problem):
        self._u, self.problem, self.info = u, problem, {}

    def __call__(self, x, t=None):
        return self._u(x) if t is None else self._u(x, t)
