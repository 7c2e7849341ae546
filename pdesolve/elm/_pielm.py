"""PIELM: a physics-informed extreme learning machine for −Δu = f with Dirichlet, Neumann or
Robin boundary rows."""

import time
import warnings

from ..equations import Poisson
from ..validation import check_optional_bool, reject_unknown_options
from . import _defaults
from ._assembly import RowGroup
from ._driver import (
    DEFAULT_RCOND,
    DEFAULT_SKETCH_FACTOR,
    check_problem,
    make_networks,
    prepare,
    require_float64,
    solve_system,
)


@reject_unknown_options(where="pielm.solve")
def solve(problem, *, key, hidden=None, activation="sin", scale=None, init="uniform",
          n_interior=None, n_boundary=None, sampling="halton", solver="qr", finish="pivoted",
          rcond=DEFAULT_RCOND, sketch_factor=DEFAULT_SKETCH_FACTOR, row_scaling="maxabs",
          block_rows=4096, normalize=True, interior_points=None, boundary_points=None,
          residuals=True, backend="auto", devices=None, progress=None):
    """Solve a `Poisson` problem with one random-feature network and one least-squares solve.

    u_h(x) = Σ_j β_j σ(w_j·x + b_j) with (w_j, b_j) frozen and random; β minimises
    Σ_interior (−Δu_h − f)² + Σ_boundary (B u_h − g)² over row-scaled equations, solved
    rank-revealingly in float64, with B u = u (Dirichlet), ∂u/∂n (Neumann) or α u + ∂u/∂n
    (Robin). With Neumann data u is fixed only up to a constant (a warning says so): the
    least-squares solution picks one.

    Args:
        problem: a `pds.Poisson`.
        key: JAX PRNG key (features and collocation points).
        hidden: network width M (default by dimension, see `_defaults.PIELM`).
        activation: "sin", "tanh", "gauss", "trig" (½ sin + ½ cos) or "fourier" ([sin, cos],
            doubling the width).
        scale: s > 0; weights and biases ~ U[−s, s] ("uniform") or N(0, s²) ("normal") in the
            reference box x̂ = (x − c)/r of the domain (normalize=False: in x itself).
        init: "uniform" or "normal".
        n_interior, n_boundary: collocation points (boundary ones spread by boundary measure).
        sampling: point-set method of the geometry layer ("halton", "sobol", "random", ...).
        solver: "qr" (streamed Householder QR, default), "sketch" (rows compressed by a
            sparse sign embedding, then "qr"; fastest when points far outnumber unknowns),
            "gelsd" or "gelsy" (dense SciPy).
        finish: "svd" or "pivoted": the rank-revealing step of solver="qr" / "sketch".
        rcond: relative cutoff for the numerical rank.
        sketch_factor: rows kept per unknown (per column block) by solver="sketch", ≥ 1.
        row_scaling: "maxabs" (each row divided by its largest |entry|), "l2" or "none".
        block_rows: rows per assembled block (memory ~ block_rows × M × 8 bytes).
        normalize: draw features for the reference box (default True).
        interior_points, boundary_points: optional explicit points (n, d) and (points, normals).
        residuals: compute per-group residuals for `sol.info` (one more assembly pass).
        backend: where the least squares runs: "host" (SciPy's LAPACK, blocks copied from the
            device), "device" (a tall-skinny QR folded over the blocks in one compiled loop,
            rows sharded over the devices, factors combined by one all-gather; solver="qr"
            only) or "auto" (default: "host" on one CPU device, "device" otherwise).
            `sol.info["backend"]` and `sol.info["devices"]` say what ran.
        devices: None (all of `jax.devices()`, every process's after
            `jax.distributed.initialize`), an int k (the first k) or a sequence of devices;
            see `pdesolve.parallel.device_mesh`.
        progress: show the rows assembled and factorised on stderr (default: in interactive
            sessions, for systems of more than 1e11 rows × columns²). Ctrl-C stops a solve
            between blocks with a `KeyboardInterrupt`, leaving no thread or file behind.

    Returns:
        `ELMSolution` (`sol(x)`, `sol.laplacian(x)`, `sol.gradient(x)`, `sol.info`).

    Raises:
        TypeError, ValueError: bad problem, key, settings or keyword names, or sizes that
            cannot fit in memory (before any expensive work).
        RuntimeError: JAX runs in float32.
    """
    t_start = time.perf_counter()
    check_problem(problem, Poisson, "pielm.solve")
    progress = check_optional_bool(progress, "progress")
    require_float64("pielm.solve")
    c = prepare(problem, key, _defaults.PIELM, t_start, hidden=hidden, scale=scale,
                n_interior=n_interior, n_boundary=n_boundary, activation=activation, init=init,
                sampling=sampling, solver=solver, finish=finish, rcond=rcond,
                row_scaling=row_scaling, block_rows=block_rows, sketch_factor=sketch_factor,
                backend=backend, devices=devices, interior_points=interior_points,
                boundary_points=boundary_points, normalize=normalize, residuals=residuals,
                where="pielm.solve")
    hidden, scale, k_net, interior, bpts, bnrm, f, g = c[:8]
    if problem.bc == "neumann":
        warnings.warn("a pure Neumann Poisson problem determines u only up to a constant; "
                      "compare solutions after removing their means (or use bc='robin').",
                      UserWarning, stacklevel=2)
    t_data = time.perf_counter()
    networks = make_networks(k_net, 1, problem.domain, hidden=hidden, activation=activation,
                             scale=scale, init=init, normalize=normalize)
    groups = [
        RowGroup("interior: -Δu = f", interior, None, f, (("laplacian", -1.0),)),
        _boundary_rows(problem, bpts, bnrm, g),
    ]
    info = {"method": "pielm", "hidden": hidden, "activation": activation, "scale": scale,
            "init": init, "bc": problem.bc, "n_interior": len(interior), "n_boundary": len(bpts),
            "sampling": sampling, "solver": solver, "finish": finish, "row_scaling": row_scaling,
            "time_sampling_s": c.time_sampling_s,
            "time_data_s": t_data - t_start - c.time_sampling_s}
    sol = solve_system(problem, networks, groups, method="pielm", solver=solver, finish=finish,
                       rcond=rcond, row_scaling=row_scaling, block_rows=block_rows,
                       sketch_factor=sketch_factor, key_solver=c.key_solver,
                       residuals=residuals, backend=backend, mesh=c.mesh, info=info,
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
