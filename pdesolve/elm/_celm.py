"""CELM: coupled extreme learning machines for Δ²u = f (Navier or clamped boundaries)."""

import time

import jax
import numpy as np

from ..equations import Biharmonic
from ..validation import check_choice, check_optional_bool
from . import _defaults
from ._assembly import RowGroup
from ._corner_lift import corner_lift, lifted_problem
from ._driver import (
    check_problem,
    elm_settings,
    evaluate,
    make_networks,
    prepare,
    require_float64,
    solve_system,
)

FORMULATIONS = ("coupled", "direct")
CORNERS = ("auto", "none")
_PARAMETERS = ("problem", "key", "formulation", "corners", "residuals", "devices", "progress")
_WEDGE_CHECK_POINTS = 4096


def solve(problem, *, key, features=None, least_squares=None, collocation=None,
          formulation="coupled", corners="auto", residuals=True, devices=None, progress=None,
          **settings):
    """Solve a `Biharmonic` problem by coupled (or direct) extreme learning machines.

    Coupled (default): v = Δu is a second network; with u_h = Σ β^u_j φ^u_j and
    v_h = Σ β^v_j φ^v_j, one least-squares system imposes Δv_h = f and Δu_h − v_h = 0 at
    interior points, u_h = g on the boundary, and v_h = h (Navier) or ∂u_h/∂n = dudn
    (clamped). Direct: one network with Δ²u_h = f, u_h = g and Δu_h = h or ∂u_h/∂n = dudn.

    Args:
        problem: a `pds.Biharmonic`.
        key: JAX PRNG key (features and collocation points).
        features: a `pdesolve.elm.RandomFeatures` (hidden: width M of EACH network, default
            by dimension, see `_defaults.CELM`; activation, scale, init, normalize).
        least_squares: a `pdesolve.elm.LeastSquares` (solver, finish, rcond, sketch_factor,
            row_scaling, block_rows, backend).
        collocation: a `pdesolve.elm.Collocation` (n_interior: interior points, each giving
            two rows when coupled; n_boundary: boundary points, two rows each; sampling,
            interior_points, boundary_points).
        formulation: "coupled" or "direct".
        corners: "auto" (default): on a 2D Navier problem, lift the r² log r singularities of
            the corners where the data are incompatible (right angles and re-entrant 3π/2
            corners; a uniform load on a simply supported polygonal plate is such a case) in
            closed form, solve for the smooth remainder and add the lift back (see
            `pdesolve.elm.corner_lift`; `sol.info["corners"]` reports each corner). Smooth,
            compatible data are left unchanged. "none": no corner treatment.
        residuals, devices, progress: as in `pds.pielm.solve`.
        **settings: any field of the three settings as a keyword (hidden=400,
            solver="sketch", n_interior=2000, ...), documented on its class; a keyword that
            disagrees with the object given for it is a ValueError.

    Returns:
        `ELMSolution` (a `pdesolve.Solution`): `sol(x)` is u_h, `sol.auxiliary(x)` is
        v_h ≈ Δu (coupled), `sol.laplacian(x)` and `sol.gradient(x)` differentiate u_h in
        closed form; `sol.result` and `sol.errors(key=...)` as for every solution.

    Raises:
        TypeError, ValueError: bad problem, key, settings or keyword names, or sizes that
            cannot fit in memory (before any expensive work).
        RuntimeError: JAX runs in float32.
    """
    t_start = time.perf_counter()
    features, least_squares, collocation = elm_settings(
        "celm.solve", settings, features=features, least_squares=least_squares,
        collocation=collocation, valid=_PARAMETERS)
    check_problem(problem, Biharmonic, "celm.solve")
    progress = check_optional_bool(progress, "progress")
    require_float64("celm.solve")
    check_choice(formulation, "formulation", FORMULATIONS)
    check_choice(corners, "corners", CORNERS)
    original = problem
    lift, corner_report = None, []
    if corners == "auto" and problem.bc == "navier" and problem.dim == 2:
        sample = problem.domain.sample_interior(_WEDGE_CHECK_POINTS, key=jax.random.PRNGKey(0))
        lift, corner_report = corner_lift(problem, sample)
        if lift is not None:
            problem = lifted_problem(problem, lift)
    layout = (2, 2, 2) if formulation == "coupled" else (1, 1, 2)
    c = prepare(problem, key, _defaults.CELM, t_start, features=features,
                least_squares=least_squares, collocation=collocation, devices=devices,
                residuals=residuals, layout=layout, where="celm.solve")
    hidden, scale, k_net, interior, bpts, bnrm, f, g = c[:8]
    if problem.bc == "navier":
        second = evaluate(problem.h, "h", bpts)
    else:
        second = evaluate(problem.dudn, "dudn", bpts, bnrm)
    t_data = time.perf_counter()
    count = 2 if formulation == "coupled" else 1
    networks = make_networks(k_net, count, problem.domain, hidden=hidden,
                             activation=features.activation, scale=scale, init=features.init,
                             normalize=features.normalize)
    groups = celm_row_groups(problem.bc, formulation, interior, bpts, bnrm, f, g, second)
    method = "celm" if formulation == "coupled" else "celm-direct"
    info = {"method": method, "bc": problem.bc, "formulation": formulation, "hidden": hidden,
            "activation": features.activation, "scale": scale, "init": features.init,
            "n_interior": len(interior), "n_boundary": len(bpts),
            "sampling": collocation.sampling, "solver": least_squares.solver,
            "finish": least_squares.finish, "row_scaling": least_squares.row_scaling,
            "time_sampling_s": c.time_sampling_s,
            "time_data_s": t_data - t_start - c.time_sampling_s}
    sol = solve_system(problem, networks, groups, method=method, least_squares=least_squares,
                       key_solver=c.key_solver, residuals=residuals, mesh=c.mesh, info=info,
                       progress=progress)
    sol.problem, sol.lift = original, lift
    sol.info["corners"] = corner_report
    sol.info["time_total_s"] = time.perf_counter() - t_start
    return sol


def celm_row_groups(bc, formulation, interior, bpts, bnrm, f, g, second):
    """The row groups of CELM's least-squares system for the biharmonic problem Δ²u = f.

    "coupled" splits it into Δv = f, Δu − v = 0 (two networks u, v) with u = g and, for
    bc="navier", v = h (else ∂u/∂n = dudn) on the boundary; "direct" keeps one network u with
    Δ²u = f, u = g and Δu = h (navier) or ∂u/∂n = dudn.

    Args:
        bc: "navier" or "clamped".
        formulation: "coupled" or "direct".
        interior: interior points (n, d).
        bpts, bnrm: boundary points and outward normals (m, d).
        f, g, second: data values at the points (f inside, g and h or dudn on the boundary).

    Returns:
        List of `RowGroup`.
    """
    zeros = np.zeros(len(interior))
    if formulation == "direct":
        last = ("laplacian", 1.0) if bc == "navier" else ("normal", 1.0)
        name = "boundary: Δu = h" if bc == "navier" else "boundary: ∂u/∂n = dudn"
        return [
            RowGroup("interior: Δ²u = f", interior, None, f, (("bilaplacian", 1.0),)),
            RowGroup("boundary: u = g", bpts, bnrm, g, (("value", 1.0),)),
            RowGroup(name, bpts, bnrm, second, (last,)),
        ]
    groups = [
        RowGroup("interior: Δv = f", interior, None, f, ((None, 1.0), ("laplacian", 1.0))),
        RowGroup("interior: Δu - v = 0", interior, None, zeros,
                 (("laplacian", 1.0), ("value", -1.0))),
        RowGroup("boundary: u = g", bpts, bnrm, g, (("value", 1.0), (None, 1.0))),
    ]
    if bc == "navier":
        groups.append(RowGroup("boundary: v = h", bpts, bnrm, second,
                               ((None, 1.0), ("value", 1.0))))
    else:
        groups.append(RowGroup("boundary: ∂u/∂n = dudn", bpts, bnrm, second,
                               (("normal", 1.0), (None, 1.0))))
    return groups
