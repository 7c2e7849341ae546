"""PIELM: a physics-informed extreme learning machine for −Δu = f with Dirichlet, Neumann or
Robin boundary rows."""

import time
import warnings

from ..equations import Poisson
from ..validation import check_optional_bool
from . import _defaults
from ._assembly import RowGroup
from ._driver import (
    check_problem,
    elm_settings,
    make_networks,
    prepare,
    require_float64,
    solve_system,
)

_PARAMETERS = ("problem", "key", "residuals", "devices", "progress")


def solve(problem, *, key, features=None, least_squares=None, collocation=None,
          residuals=True, devices=None, progress=None, **settings):
    """Solve a `Poisson` problem with one random-feature network and one least-squares solve.

    u_h(x) = Σ_j β_j σ(w_j·x + b_j) with (w_j, b_j) frozen and random; β minimises
    Σ_interior (−Δu_h − f)² + Σ_boundary (B u_h − g)² over row-scaled equations, solved
    rank-revealingly in float64, with B u = u (Dirichlet), ∂u/∂n (Neumann) or α u + ∂u/∂n
    (Robin). With Neumann data u is fixed only up to a constant (a warning says so): the
    least-squares solution picks one.

    Args:
        problem: a `pds.Poisson`.
        key: JAX PRNG key (features and collocation points).
        features: a `pdesolve.elm.RandomFeatures`: hidden (network width M, default by
            dimension, see `_defaults.PIELM`), activation, scale, init, normalize.
        least_squares: a `pdesolve.elm.LeastSquares`: solver, finish, rcond, sketch_factor,
            row_scaling, block_rows, backend (`sol.info["backend"]` and
            `sol.info["devices"]` say what ran).
        collocation: a `pdesolve.elm.Collocation`: n_interior, n_boundary (boundary points
            spread by boundary measure), sampling, interior_points, boundary_points.
        residuals: compute per-group residuals for `sol.info` (one more assembly pass).
        devices: None (all of `jax.devices()`, every process's after
            `jax.distributed.initialize`), an int k (the first k) or a sequence of devices;
            see `pdesolve.parallel.device_mesh`.
        progress: show the rows assembled and factorised on stderr (default: in interactive
            sessions, for systems of more than 1e11 rows × columns²). Ctrl-C stops a solve
            between blocks with a `KeyboardInterrupt`, leaving no thread or file behind.
        **settings: any field of the three settings as a keyword (hidden=300,
            solver="sketch", n_interior=900, ...), documented on its class; a keyword that
            disagrees with the object given for it is a ValueError.

    Returns:
        `ELMSolution`, a `pdesolve.Solution` (`sol(x)`, `sol.laplacian(x)`,
        `sol.gradient(x)`, `sol.info`, `sol.errors(key=...)`, `sol.result`).

    Raises:
        TypeError, ValueError: bad problem, key, settings or keyword names, or sizes that
            cannot fit in memory (before any expensive work).
        RuntimeError: JAX runs in float32.
    """
    t_start = time.perf_counter()
    features, least_squares, collocation = elm_settings(
        "pielm.solve", settings, features=features, least_squares=least_squares,
        collocation=collocation, valid=_PARAMETERS)
    check_problem(problem, Poisson, "pielm.solve")
    progress = check_optional_bool(progress, "progress")
    require_float64("pielm.solve")
    c = prepare(problem, key, _defaults.PIELM, t_start, features=features,
                least_squares=least_squares, collocation=collocation, devices=devices,
                residuals=residuals, where="pielm.solve")
    hidden, scale, k_net, interior, bpts, bnrm, f, g = c[:8]
    if problem.bc == "neumann":
        warnings.warn("a pure Neumann Poisson problem determines u only up to a constant; "
                      "compare solutions after removing their means (or use bc='robin').",
                      UserWarning, stacklevel=2)
    t_data = time.perf_counter()
    networks = make_networks(k_net, 1, problem.domain, hidden=hidden,
                             activation=features.activation, scale=scale, init=features.init,
                             normalize=features.normalize)
    groups = [
        RowGroup("interior: -Δu = f", interior, None, f, (("laplacian", -1.0),)),
        _boundary_rows(problem, bpts, bnrm, g),
    ]
    info = {"method": "pielm", "hidden": hidden, "activation": features.activation,
            "scale": scale, "init": features.init, "bc": problem.bc,
            "n_interior": len(interior), "n_boundary": len(bpts),
            "sampling": collocation.sampling, "solver": least_squares.solver,
            "finish": least_squares.finish, "row_scaling": least_squares.row_scaling,
            "time_sampling_s": c.time_sampling_s,
            "time_data_s": t_data - t_start - c.time_sampling_s}
    sol = solve_system(problem, networks, groups, method="pielm", least_squares=least_squares,
                       key_solver=c.key_solver, residuals=residuals, mesh=c.mesh, info=info,
                       progress=progress)
    sol.info["time_total_s"] = time.perf_counter() - t_start
    return sol


def _boundary_rows(problem, bpts, bnrm, g) -> RowGroup:
    if problem.bc == "dirichlet":
        return RowGroup("boundary: u = g", bpts, bnrm, g, (("value", 1.0),))
    if problem.bc == "neumann":
        return RowGroup("boundary: ∂u/∂n = g", bpts, bnrm, g, (("normal", 1.0),))
    return RowGroup("boundary: αu + ∂u/∂n = g", bpts, bnrm, g,
                    ((("value", "normal"), (problem.alpha, 1.0)),))
