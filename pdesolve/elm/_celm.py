"""CELM: coupled extreme learning machines for Δ²u = f (Navier or clamped boundaries)."""

import time

import numpy as np

from ..equations import Biharmonic
from ..validation import check_optional_bool, reject_unknown_options
from . import _defaults
from ._assembly import RowGroup
from ._driver import (
    DEFAULT_RCOND,
    DEFAULT_SKETCH_FACTOR,
    check_choice,
    check_problem,
    evaluate,
    make_networks,
    prepare,
    require_float64,
    solve_system,
)

FORMULATIONS = ("coupled", "direct")


@reject_unknown_options(where="celm.solve")
def solve(problem, *, key, hidden=None, activation="sin", scale=None, init="uniform",
          n_interior=None, n_boundary=None, sampling="halton", formulation="coupled",
          solver="qr", finish="pivoted", rcond=DEFAULT_RCOND,
          sketch_factor=DEFAULT_SKETCH_FACTOR, row_scaling="maxabs", block_rows=4096,
          normalize=True, interior_points=None, boundary_points=None, residuals=True,
          backend="auto", devices=None, progress=None):
    """Solve a `Biharmonic` problem by coupled (or direct) extreme learning machines.

    Coupled (default): v = Δu is a second network; with u_h = Σ β^u_j φ^u_j and
    v_h = Σ β^v_j φ^v_j, one least-squares system imposes Δv_h = f and Δu_h − v_h = 0 at
    interior points, u_h = g on the boundary, and v_h = h (Navier) or ∂u_h/∂n = dudn
    (clamped). Direct: one network with Δ²u_h = f, u_h = g and Δu_h = h or ∂u_h/∂n = dudn.

    Args:
        problem: a `pds.Biharmonic`.
        key: JAX PRNG key (features and collocation points).
        hidden: width M of EACH network (default by dimension, see `_defaults.CELM`).
        activation: "sin", "tanh", "gauss", "trig" or "fourier" ([sin, cos], width 2M).
        scale: s > 0 of U[−s, s] (or N(0, s²)) in the domain's reference box.
        init: "uniform" or "normal".
        n_interior: interior collocation points (each gives two rows when coupled).
        n_boundary: total boundary points, spread by boundary measure (two rows each).
        sampling: point-set method of the geometry layer.
        formulation: "coupled" or "direct".
        solver, finish, rcond, sketch_factor, row_scaling, block_rows, normalize,
            interior_points, boundary_points, residuals, backend, devices, progress: as in
            `pds.pielm.solve`.

    Returns:
        `ELMSolution`: `sol(x)` is u_h, `sol.auxiliary(x)` is v_h ≈ Δu (coupled),
        `sol.laplacian(x)` and `sol.gradient(x)` differentiate u_h in closed form.

    Raises:
        TypeError, ValueError: bad problem, key, settings or keyword names, or sizes that
            cannot fit in memory (before any expensive work).
        RuntimeError: JAX runs in float32.
    """
    t_start = time.perf_counter()
    check_problem(problem, Biharmonic, "celm.solve")
    progress = check_optional_bool(progress, "progress")
    require_float64("celm.solve")
    check_choice(formulation, "formulation", FORMULATIONS)
    layout = (2, 2, 2) if formulation == "coupled" else (1, 1, 2)
    c = prepare(problem, key, _defaults.CELM, t_start, hidden=hidden, scale=scale,
                n_interior=n_interior, n_boundary=n_boundary, activation=activation, init=init,
                sampling=sampling, solver=solver, finish=finish, rcond=rcond,
                row_scaling=row_scaling, block_rows=block_rows, sketch_factor=sketch_factor,
                backend=backend, devices=devices, interior_points=interior_points,
                boundary_points=boundary_points, normalize=normalize, residuals=residuals,
                layout=layout, where="celm.solve")
    hidden, scale, k_net, interior, bpts, bnrm, f, g = c[:8]
    if problem.bc == "navier":
        second = evaluate(problem.h, "h", bpts)
    else:
        second = evaluate(problem.dudn, "dudn", bpts, bnrm)
    t_data = time.perf_counter()
    count = 2 if formulation == "coupled" else 1
    networks = make_networks(k_net, count, problem.domain, hidden=hidden, activation=activation,
                             scale=scale, init=init, normalize=normalize)
    groups = celm_row_groups(problem.bc, formulation, interior, bpts, bnrm, f, g, second)
    method = "celm" if formulation == "coupled" else "celm-direct"
    info = {"method": method, "bc": problem.bc, "formulation": formulation, "hidden": hidden,
            "activation": activation, "scale": scale, "init": init,
            "n_interior": len(interior), "n_boundary": len(bpts), "sampling": sampling,
            "solver": solver, "finish": finish, "row_scaling": row_scaling,
            "time_sampling_s": c.time_sampling_s,
            "time_data_s": t_data - t_start - c.time_sampling_s}
    sol = solve_system(problem, networks, groups, method=method, solver=solver, finish=finish,
                       rcond=rcond, row_scaling=row_scaling, block_rows=block_rows,
                       sketch_factor=sketch_factor, key_solver=c.key_solver,
                       residuals=residuals, backend=backend, mesh=c.mesh, info=info,
                       progress=progress)
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
