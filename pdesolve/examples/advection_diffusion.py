"""The SFHCPINN reference examples E1–E9 (and E8b, the square variant of E8) as named problems.

Each example builds a manufactured `AdvectionDiffusion` problem and trains SFHCPINN (or a
baseline with --variant). Results: relative L2 error ‖u − û‖/‖u‖ on the evaluation set, the
reference code's squared ratio MSE/mean(u²) (= relative_l2²) under `reference_rel_squared`,
max error, wall time and iterations per second.
"""

import dataclasses
from pathlib import Path

import jax
import jax.numpy as jnp

from .. import geometry as geo
from ..equations import AdvectionDiffusion
from ._registry import Example, non_negative_int, positive_int, register

GEOMETRY_DATA = Path(__file__).resolve().parent.parent.parent / "geometry"
ALPHA = 0.25
VARIANTS = ("sfhcpinn", "pinn", "hcpinn", "sfpinn")


def _decay(t):
    return jnp.exp(-ALPHA * t)


def _s(k, x):
    return jnp.sin(k * jnp.pi * x)


@dataclasses.dataclass(frozen=True)
class Case:
    """One reference example: domain, time span, coefficients, exact solution, boundary kinds."""

    name: str
    description: str
    domain: object
    t_span: tuple
    diffusivity: object
    velocity: object
    exact: object
    bc: object = "dirichlet"

    def problem(self):
        domain = self.domain() if callable(self.domain) else self.domain
        return AdvectionDiffusion.manufactured(
            domain, self.t_span, self.diffusivity, self.velocity, self.exact, bc=self.bc
        )


MIXED = {"left": "dirichlet", "right": "neumann"}
V2, K2 = (4.0, 4.0), (1.0, 1.0)

CASES = {
    c.name: c
    for c in [
        Case("sfhcpinn_e1", "E1: 1D, [0,2]x[0,5], w=0.001, d=0.002, sin(2πx), Dirichlet",
             geo.Interval(0, 2), (0, 5), 0.002, 0.001,
             lambda x, t: _decay(t) * _s(2, x[0])),
        Case("sfhcpinn_e2", "E2: 1D, [0,1]x[0,1], sin(2πx) + 0.1 sin(50πx), Dirichlet",
             geo.Interval(0, 1), (0, 1), 0.002, 0.001,
             lambda x, t: _decay(t) * (_s(2, x[0]) + 0.1 * _s(50, x[0]))),
        Case("sfhcpinn_e3", "E3: 1D, [0,2]x[0,5], w=0.01, d=0.02, sin(πx) + 0.1 sin(30πx), "
             "Dirichlet",
             geo.Interval(0, 2), (0, 5), 0.02, 0.01,
             lambda x, t: _decay(t) * (_s(1, x[0]) + 0.1 * _s(30, x[0]))),
        Case("sfhcpinn_e4", "E4: 1D, [0,2]x[0,5], w=1, d=0.1, sin(πx), Neumann both ends",
             geo.Interval(0, 2), (0, 5), 0.1, 1.0,
             lambda x, t: _decay(t) * _s(1, x[0]), "neumann"),
        Case("sfhcpinn_e5", "E5: 1D, [0,1]x[0,1], w=1, d=0.1, sin(πx) + 0.2 sin(10πx), Neumann",
             geo.Interval(0, 1), (0, 1), 0.1, 1.0,
             lambda x, t: _decay(t) * (_s(1, x[0]) + 0.2 * _s(10, x[0])), "neumann"),
        Case("sfhcpinn_e6", "E6: 1D, [0,1]x[0,1], w=0.01, d=0.02, sin(2πx), Dirichlet left, "
             "Neumann right", geo.Interval(0, 1), (0, 1), 0.02, 0.01,
             lambda x, t: _decay(t) * _s(2, x[0]), MIXED),
        Case("sfhcpinn_e7", "E7: 1D, [0,1]x[0,1], sin(2πx) + 0.1 sin(20πx), mixed",
             geo.Interval(0, 1), (0, 1), 0.002, 0.001,
             lambda x, t: _decay(t) * (_s(2, x[0]) + 0.1 * _s(20, x[0])), MIXED),
        Case("sfhcpinn_e8", "E8: 2D porous plate [0,4]^2 with 10 holes x [0,5], v=(4,4), "
             "k=(1,1), x(4-x)y(4-y), Dirichlet (holes too)",
             lambda: geo.Mesh.from_file(GEOMETRY_DATA / "porous_plate.msh"), (0, 5), K2, V2,
             lambda x, t: _decay(t) * x[0] * (4 - x[0]) * x[1] * (4 - x[1])),
        Case("sfhcpinn_e8b", "E8b: 2D square [0,1]^2 x [0,5], v=(4,4), k=(1,1), "
             "sin(2πx)sin(2πy) + 0.1 sin(10πx)sin(10πy), Dirichlet",
             geo.Rectangle((0, 0), (1, 1)), (0, 5), K2, V2,
             lambda x, t: _decay(t) * (_s(2, x[0]) * _s(2, x[1])
                                       + 0.1 * _s(10, x[0]) * _s(10, x[1]))),
        Case("sfhcpinn_e9", "E9: 2D [0,1]^2 x [0,1], v=(4,4), k=(1,1), sin(πx)sin(πy) + "
             "0.1 sin(10πx)sin(10πy), Neumann all sides",
             geo.Rectangle((0, 0), (1, 1)), (0, 1), K2, V2,
             lambda x, t: _decay(t) * (_s(1, x[0]) * _s(1, x[1])
                                       + 0.1 * _s(10, x[0]) * _s(10, x[1])), "neumann"),
    ]
}


def _add_arguments(parser):
    parser.add_argument("--steps", type=positive_int, default=None,
                        help="training steps (default 5000; 200 with --quick)")
    parser.add_argument("--variant", choices=VARIANTS, default="sfhcpinn",
                        help="method: sfhcpinn (default) or a baseline")
    parser.add_argument("--n-interior", type=positive_int, default=None,
                        help="interior points per step")
    parser.add_argument("--n-boundary", type=positive_int, default=None,
                        help="boundary points per step")
    parser.add_argument("--lbfgs-steps", type=non_negative_int, default=0,
                        help="L-BFGS finishing iterations")
    parser.add_argument("--progress", action="store_true", help="show a progress line")


def solve_case(case: Case, *, key, variant="sfhcpinn", steps=5000, n_interior=None,
               n_boundary=None, n_initial=None, **options):
    """Train `variant` on `case` with the example's default batch sizes; returns the solution."""
    from .. import pinn, sfhcpinn

    problem = case.problem()
    two_d = problem.dim == 2
    sizes = {
        "n_interior": n_interior or (4000 if two_d else 2000),
        "n_boundary": n_boundary or (1000 if two_d else 500),
        "n_initial": n_initial or (1000 if two_d else 500),
    }
    if variant == "sfhcpinn":
        return sfhcpinn.solve(problem, key=key, steps=steps, **sizes, **options)
    return pinn.solve(problem, key=key, steps=steps, variant=variant, **sizes, **options)


def _runner(case: Case):
    def run(args) -> dict:
        steps = args.steps or (200 if args.quick else 5000)
        quick_sizes = {"n_interior": 500, "n_boundary": 100, "n_initial": 100} if args.quick else {}
        sizes = {k: v for k, v in quick_sizes.items()}
        if args.n_interior:
            sizes["n_interior"] = args.n_interior
        if args.n_boundary:
            sizes["n_boundary"] = args.n_boundary
        sol = solve_case(case, key=jax.random.PRNGKey(args.seed), variant=args.variant,
                         steps=steps, lbfgs_steps=args.lbfgs_steps,
                         eval_every=max(steps // 10, 1), progress=args.progress, **sizes)
        info = sol.info
        return {
            "variant": args.variant,
            "relative_l2": info["relative_l2"],
            "reference_rel_squared": info["squared_ratio"],
            "max_error": info["max_error"],
            "wall_time_s": info["wall_time_s"],
            "compile_time_s": info["compile_time_s"],
            "it_per_s": info["it_per_s"],
            "steps": steps,
            "n_interior": info["n_interior"],
            "n_boundary": info["n_boundary"],
            "parameters": info["parameters"],
            "error_steps": info["error_steps"],
            "error_history": info["error"],
            "_solution": sol,
        }

    return run


for _case in CASES.values():
    register(Example(_case.name, _case.description, _runner(_case), _add_arguments))
