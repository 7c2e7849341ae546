"""The CELM examples of the reference (arXiv:2310.13947 and its authors' code) and clamped cases.

Each example solves a manufactured biharmonic problem with `pdesolve.celm.solve` and reports
the relative L2 and max error against the exact solution on independent test points, with the
wall time. Tolerances: quick ones measured at seed 0 with a margin of about 10×, full ones from
`benchmarks/results/celm_examples.md` (`python benchmarks/celm_examples.py`).
"""

import math
import time

import jax
import jax.numpy as jnp
import numpy as np

from .. import celm
from .. import geometry as geo
from ..elm import BACKENDS, FINISHES, SOLVERS
from ..equations import Biharmonic
from ..metrics import max_error, relative_l2
from ._example import Example
from ._method import Method
from ._option import Option

PI = math.pi
SLICE_POINTS = 128


def _p(t):
    return t - 2 * t**3 + t**4


def hexagram() -> geo.Domain:
    """The six-pointed star in [0, 1]²: union of two triangles (reference example 2)."""
    up = geo.Polygon([(0.0, 0.25), (1.0, 0.25), (0.5, 1.0)])
    down = geo.Polygon([(0.0, 0.75), (1.0, 0.75), (0.5, 0.0)])
    return up | down


def test_points(domain, n: int, key, slice_z: float | None = None) -> np.ndarray:
    """Independent test points: `n` random interior points, plus a 128² grid of the slice
    z = `slice_z` when given (3D)."""
    x = domain.sample_interior(n, key=key)
    if slice_z is not None:
        t = (np.arange(SLICE_POINTS) + 0.5) / SLICE_POINTS
        gx, gy = np.meshgrid(t, t, indexing="ij")
        x = np.concatenate([x, np.stack([gx.ravel(), gy.ravel(),
                                         np.full(gx.size, slice_z)], axis=1)])
    return x


def solve_celm_example(example, settings: dict, *, key, out) -> dict:
    """Solve `example` with CELM and measure it on independent test points.

    Args:
        example: the `Example`.
        settings: `celm.solve` keywords plus `n_test` (random test points) and `test_slice_z`
            (a 3D slice added to the test points, or None).
        key: PRNG key of the solve and the test points.
        out: folder for the solution file, or None.

    Returns:
        The results: errors, timings and the solve's settings; "_solution", "_problem".
    """
    settings = dict(settings)
    n_test, slice_z = settings.pop("n_test"), settings.pop("test_slice_z", None)
    key_solve, key_test = jax.random.split(key)
    problem = example.problem()
    start = time.perf_counter()
    sol = celm.solve(problem, key=key_solve, **settings)
    wall = time.perf_counter() - start
    x = test_points(problem.domain, n_test, key_test, slice_z)
    ref = jax.jit(jax.vmap(problem.exact))(jnp.asarray(x))
    pred = sol(x)
    info = sol.info
    results = {
        "bc": problem.bc,
        "relative_l2": float(relative_l2(pred, ref)),
        "max_error": float(max_error(pred, ref)),
        "wall_time_s": wall,
        **{k: info[k] for k in ("hidden", "scale", "activation", "formulation", "solver",
                                "finish", "n_interior", "n_boundary", "rows", "unknowns", "rank",
                                "backend", "devices", "time_assembly_s", "time_solve_s")},
        "n_test": int(x.shape[0]),
        "_solution": sol, "_problem": problem,
    }
    if slice_z is not None:
        n_slice = SLICE_POINTS**2
        results["relative_l2_slice"] = float(relative_l2(pred[-n_slice:], ref[-n_slice:]))
    if out is not None:
        results["solution_file"] = str(sol.save(out / f"{example.name}.npz"))
    return results


CELM = Method("celm", solve_celm_example, needs_float64=True)

CELM_OPTIONS = (
    Option("hidden", int, None, "width of each network", lower=1),
    Option("scale", float, None, "s of the weight distribution U[-s, s]", lower=0,
           lower_inclusive=False),
    Option("activation", str, "sin", "activation of the random features",
           choices=("sin", "tanh", "gauss", "trig", "fourier")),
    Option("n_interior", int, None, "interior points", lower=1),
    Option("n_boundary", int, None, "boundary points (total)", lower=1),
    Option("formulation", str, "coupled", "how the biharmonic equation is split",
           choices=celm.FORMULATIONS),
    Option("solver", str, "qr", "least-squares solver", choices=SOLVERS),
    Option("finish", str, "pivoted", "rank-revealing step of --solver qr / sketch",
           choices=FINISHES),
    Option("backend", str, "auto", "where the least squares runs (auto: host on one CPU device)",
           choices=BACKENDS),
    Option("devices", int, None, "use the first N devices (default: all)", lower=1),
    Option("n_test", int, 20000, "random test points", lower=1),
)


def _celm_example(name, description, domain, exact, bc, settings, quick, tolerance,
                  quick_tolerance, slice_z=None) -> Example:
    slice_setting = {} if slice_z is None else {"test_slice_z": slice_z}
    return Example(
        name=name, description=description,
        problem=lambda: Biharmonic.manufactured(domain, exact, bc=bc),
        method=CELM, settings={**settings, **slice_setting}, quick={**quick, "n_test": 4000},
        tolerance=tolerance, quick_tolerance=quick_tolerance, options=CELM_OPTIONS,
    )


def celm_examples() -> tuple[Example, ...]:
    """The CELM examples (each tolerance: measured error at seed 0 with a margin)."""
    sq = geo.Rectangle((-1, -1), (1, 1))
    unit = geo.Rectangle((0, 0), (1, 1))
    cube = geo.Box((0, 0, 0), (1, 1, 1))
    d2 = {"hidden": 400, "n_interior": 1600, "n_boundary": 600}
    q2 = {"hidden": 200, "n_interior": 600, "n_boundary": 200}
    # polynomial-type clamped solutions: small ‖u‖ against large fourth derivatives; a wider
    # spectrum (s = 8, the reference's value) and M = 500 reach ~1e-12 (s = 5, M = 400: 7.6e-12)
    c2 = {"hidden": 500, "n_interior": 2000, "n_boundary": 800, "scale": 8.0}
    qc2 = {**q2, "scale": 5.0}  # quick keeps celm's 2D default s = 5 (s = 8 at M = 200: 1.4e-6)
    # clamped cubes: M = 1200, s = 3 is under-resolved (full rank, 1.2e-6 / 1.2e-7); at
    # M = 1600, s = 4: 1.7e-9 / 3.8e-8; at M = 2000, s = 4: 5.2e-11 / 9.0e-10
    c3 = {"hidden": 2000, "n_interior": 4000, "n_boundary": 2000, "scale": 4.0}
    d3 = {"hidden": 1200, "n_interior": 2400, "n_boundary": 1200, "scale": 3.0}
    # the polynomial cube needs more features than the sine one (M = 1200: 1.5e-10)
    p3 = {"hidden": 1600, "n_interior": 3200, "n_boundary": 1600, "scale": 3.0}
    q3 = {"hidden": 500, "n_interior": 1000, "n_boundary": 500, "scale": 3.0}
    sin2 = lambda x: jnp.sin(PI * x[0]) * jnp.sin(PI * x[1])
    sin3 = lambda x: jnp.sin(PI * x[0]) * jnp.sin(PI * x[1]) * jnp.sin(PI * x[2])
    # measured relative L2 (seed 0), full / quick, in the comment after each example
    return (
        _celm_example("celm_square", "CELM, square [-1,1]^2, u = sin(pi x) sin(pi y), Navier",
                      sq, sin2, "navier", d2, q2, 1e-12, 1e-8),  # 1.5e-13 / 3.0e-10
        _celm_example("celm_hexagram", "CELM, hexagram (union of two triangles), "
                      "u = 10 p(x) p(y), Navier on the star's boundary", hexagram(),
                      lambda x: 10 * _p(x[0]) * _p(x[1]), "navier",
                      {"hidden": 500, "n_interior": 2000, "n_boundary": 1000}, q2,
                      1e-11, 1e-11),  # 1.9e-14 / 2.4e-13
        _celm_example("celm_square2", "CELM, unit square, u = 2 sin(pi x)(y - 2y^3 + y^4), "
                      "Navier", unit, lambda x: 2 * jnp.sin(PI * x[0]) * _p(x[1]), "navier",
                      d2, q2, 1e-12, 1e-9),  # 5.1e-14 / 2.1e-11
        _celm_example("celm_cube", "CELM, unit cube, u = sin(pi x) sin(pi y) sin(pi z), Navier "
                      "(error on random points and the slice z = 0.5)", cube, sin3, "navier",
                      d3, q3, 1e-10, 1e-5, slice_z=0.5),  # 2.0e-12 / 2.9e-7
        _celm_example("celm_cube2", "CELM, unit cube, u = 10 p(x) p(y) p(z), Navier", cube,
                      lambda x: 10 * _p(x[0]) * _p(x[1]) * _p(x[2]), "navier", p3, q3,
                      1e-10, 1e-5, slice_z=0.5),  # 1.3e-11 / 1.5e-6
        _celm_example("celm_shell", "CELM, spherical shell 0.5 <= r <= 1, "
                      "u = exp(x/2) sin(y) cos(z), Navier",
                      geo.Ball((0, 0, 0), 1.0) - geo.Ball((0, 0, 0), 0.5),
                      lambda x: jnp.exp(x[0] / 2) * jnp.sin(x[1]) * jnp.cos(x[2]), "navier",
                      {"hidden": 1000, "n_interior": 2400, "n_boundary": 1600, "scale": 2.0},
                      {"hidden": 400, "n_interior": 1000, "n_boundary": 600, "scale": 2.0},
                      1e-11, 1e-7),  # 5.4e-14 / 3.2e-9
        _celm_example("celm_clamped_square", "CELM, unit square, "
                      "u = sin^2(pi x) sin^2(pi y), clamped", unit,
                      lambda x: jnp.sin(PI * x[0]) ** 2 * jnp.sin(PI * x[1]) ** 2, "clamped",
                      d2, q2, 1e-12, 1e-8),  # 5.4e-14 / 3.7e-10
        _celm_example("celm_clamped_poly", "CELM, unit square, "
                      "u = 200 x^2 y^2 (1-x)^2 (1-y)^2, clamped", unit,
                      lambda x: 200 * (x[0] * x[1] * (1 - x[0]) * (1 - x[1])) ** 2, "clamped",
                      c2, qc2, 1e-11, 1e-7),  # 1.5e-12 / 1.2e-8
        _celm_example("celm_clamped_mixed", "CELM, unit square, "
                      "u = 10 sin^2(pi x)(y - y^2)^2, clamped", unit,
                      lambda x: 10 * jnp.sin(PI * x[0]) ** 2 * (x[1] - x[1] ** 2) ** 2,
                      "clamped", c2, qc2, 1e-12, 1e-7),  # 2.1e-13 / 4.6e-9
        _celm_example("celm_clamped_cube", "CELM, unit cube, "
                      "u = sin^2(pi x) sin^2(pi y) sin^2(pi z), clamped", cube,
                      lambda x: jnp.prod(jnp.sin(PI * x) ** 2), "clamped", c3, q3,
                      1e-9, 1e-2, slice_z=0.5),  # 6.7e-11 / 1.7e-3
        _celm_example("celm_clamped_cube_poly", "CELM, unit cube, "
                      "u = 1000 prod (x_i - x_i^2)^2, clamped", cube,
                      lambda x: 1000 * jnp.prod((x - x**2) ** 2), "clamped", c3, q3,
                      1e-8, 1e-2, slice_z=0.5),  # 1.1e-9 / 6.3e-4
    )
