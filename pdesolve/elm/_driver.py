"""Shared machinery of the ELM solvers: argument checks, collocation, data, solve, diagnostics."""

import time
import warnings
import weakref
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from ..parallel import Need, blas_threads, check_memory, device_mesh
from ..training import Progress, default_enabled
from ..validation import as_float_array, check_bool, check_key, describe, settings_objects
from . import _defaults, _lstsq
from ._assembly import RowGroup, iter_blocks
from ._collocation import Collocation
from ._device_lstsq import DeviceSystem
from ._features import Network, init_network
from ._least_squares_settings import LeastSquares
from ._random_features import RandomFeatures
from ._solution import ELMSolution

_SOLVER_STREAM = 0x5EED


# rows × columns² above which an interactive solve shows progress (a few seconds on one core)
_LONG_SOLVE_FLOPS = 1e11

def require_float64(where: str) -> None:
    """Raise unless JAX runs with float64 enabled (the least squares needs it).

    Raises:
        RuntimeError: `jax_enable_x64` is off.
    """
    if not jax.config.jax_enable_x64:
        raise RuntimeError(
            f"{where} needs float64: the collocation systems have condition numbers near 1e16 "
            "and float32 loses every digit. Enable it before creating arrays with "
            "`jax.config.update('jax_enable_x64', True)` (or JAX_ENABLE_X64=1)."
        )


def check_problem(problem, kind, where: str) -> None:
    """TypeError unless `problem` is an instance of the problem class `kind`."""
    if not isinstance(problem, kind):
        raise TypeError(f"{where} needs a pds.{kind.__name__} problem, got "
                        f"{describe(problem)}.")


def reference_box(domain):
    """Centre and half-width of the domain's bounding box (features use x̂ = (x − c)/r)."""
    lo, hi = (np.asarray(v, dtype=np.float64) for v in domain.bbox)
    return (lo + hi) / 2, float(np.max(hi - lo)) / 2


def make_networks(key, count: int, domain, *, hidden, activation, scale, init, normalize):
    """`count` independent random-feature networks on `domain`."""
    center, radius = reference_box(domain) if normalize else (np.zeros(domain.dim), 1.0)
    return [
        init_network(k, domain.dim, hidden, activation=activation, scale=scale, init=init,
                     center=center, radius=radius)
        for k in jax.random.split(key, count)
    ]


def collocation_points(domain, key, *, n_interior, n_boundary, sampling, interior_points,
                boundary_points):
    """Interior points (n, d) and boundary (points, normals), sampled unless given."""
    k_in, k_bd = jax.random.split(key)
    if interior_points is None:
        interior = domain.sample_interior(n_interior, key=k_in, method=sampling)
    else:
        interior = _points(interior_points, domain.dim, "interior_points")
    if boundary_points is None:
        bpts, bnrm = domain.sample_boundary(n_boundary, key=k_bd, method=sampling)
    else:
        bpts, bnrm = _boundary_pair(boundary_points)
        bpts = _points(bpts, domain.dim, "boundary_points[0]")
        bnrm = _points(bnrm, domain.dim, "boundary_points[1]")
        if bnrm.shape != bpts.shape:
            raise ValueError(f"boundary_points: the normals (shape {bnrm.shape}) must match the "
                             f"points (shape {bpts.shape}).")
    return interior, bpts, bnrm


def _boundary_pair(boundary_points):
    if not (isinstance(boundary_points, (tuple, list)) and len(boundary_points) == 2):
        raise TypeError(
            f"boundary_points must be a tuple (points (n, d), normals (n, d)), got "
            f"{describe(boundary_points)}."
        )
    return boundary_points


def _count(points, n, pair: bool = False) -> int:
    """The number of collocation points: given ones (their length, without copying) or n."""
    if points is None:
        return n
    try:
        return int(np.shape(points[0] if pair else points)[0])
    except (TypeError, IndexError, ValueError, KeyError):
        return 0  # malformed: `collocation` names the problem


def memory_needs(*, dim, n_interior, n_boundary, layout, hidden, width, solver, block_rows,
                 backend, sketch_factor, devices) -> list:
    """Peak memory of an ELM solve, item by item (lower bounds; see `pdesolve.parallel`).

    Args:
        dim: space dimension.
        n_interior, n_boundary: collocation points.
        layout: (networks, rows per interior point, rows per boundary point).
        hidden, width: the `hidden` setting and the columns of one network it gives.
        solver, block_rows, backend ("host" or "device"), sketch_factor: the settings.
        devices: how many devices share the rows (device backend).
    """
    networks, per_interior, per_boundary = layout
    n = networks * width + 1  # columns of [A | b]
    rows = n_interior * per_interior + n_boundary * per_boundary
    points = 8.0 * (n_interior * (3 * dim + 3) + n_boundary * (5 * dim + 4))
    points_setting = f"n_interior={n_interior} / n_boundary={n_boundary}"
    factor_setting = f"hidden={hidden} (the factor grows as hidden²)"
    needs = [Need(f"collocation points and data ({n_interior} interior, {n_boundary} "
                  "boundary)", points, points_setting)]
    if solver in ("gelsd", "gelsy"):
        needs.append(Need(f"dense least-squares matrix ({rows} × {n}, solver={solver!r})",
                          3 * 8.0 * rows * n, f"{points_setting} or hidden={hidden} (or use "
                          "solver='qr', which streams the rows)"))
        return needs
    block = min(block_rows, max(rows, 1))
    if backend == "device":
        share = 8.0 * rows * (2 * dim + 2) / devices
        per_device = 8.0 * (2 * n * n + (block + n) * n)
        needs += [Need(f"points on each of {devices} devices", share, points_setting,
                       on_device=True),
                  Need(f"factors ({n} × {n}) and a block of {block} rows per device", per_device,
                       f"{factor_setting} or block_rows={block_rows}", on_device=True),
                  Need(f"gathered factors of {devices} devices", 8.0 * (devices + 1) * n * n,
                       factor_setting, on_device=True)]
        return needs
    needs += [Need(f"assembled block ({block} × {n})", 3 * 8.0 * block * n,
                   f"block_rows={block_rows}"),
              Need(f"least-squares factor ({n} × {n})", 4 * 8.0 * n * n, factor_setting)]
    if solver == "sketch":
        needs.append(Need("sketched rows", 2 * 8.0 * sketch_factor * n * n,
                          f"hidden={hidden} or sketch_factor={sketch_factor}"))
    return needs


class Collocated(NamedTuple):
    """Resolved sizes, the network key, collocation points and the data every ELM needs."""

    hidden: int
    scale: float
    key_networks: jax.Array
    interior: np.ndarray
    boundary: np.ndarray
    normals: np.ndarray
    f: np.ndarray
    g: np.ndarray
    time_sampling_s: float
    key_solver: jax.Array
    mesh: jax.sharding.Mesh


def elm_settings(where: str, keywords: dict, *, features, least_squares, collocation,
                 valid) -> tuple:
    """(RandomFeatures, LeastSquares, Collocation) of an ELM call: the objects given, or built
    from its keyword arguments (`pdesolve.validation.settings_objects`).

    Raises:
        TypeError, ValueError: an unknown keyword, a wrong object, a keyword that disagrees
            with the object for the same setting, or a bad setting.
    """
    made = settings_objects(where, keywords, {"features": (RandomFeatures, features),
                                              "least_squares": (LeastSquares, least_squares),
                                              "collocation": (Collocation, collocation)},
                            valid=valid)
    return made["features"], made["least_squares"], made["collocation"]


def prepare(problem, key, table, t_start, *, features: RandomFeatures,
            least_squares: LeastSquares, collocation: Collocation, devices, residuals=True,
            layout=(1, 1, 1), where="solve") -> Collocated:
    """Fill in the dimension's defaults from `table`, check the key, the devices and the memory
    the solve needs, draw the collocation points and evaluate f (interior) and g (boundary):
    the common start of PIELM and CELM.

    Args:
        features, least_squares, collocation: the settings (checked when built).
        layout: (networks, rows per interior point, rows per boundary point), for the memory
            estimate.
        where: the entry point's name for messages.

    Raises:
        TypeError, ValueError: a bad key, devices or explicit points, a size that cannot fit
            in memory, or data that fails or is non-finite at the points (before any assembly).
    """
    key = check_key(key)
    check_bool(residuals, "residuals")
    d = _defaults.defaults(table, problem.dim)
    hidden = d["hidden"] if features.hidden is None else features.hidden
    scale = d["scale"] if features.scale is None else features.scale
    n_interior = d["n_interior"] if collocation.n_interior is None else collocation.n_interior
    n_boundary = d["n_boundary"] if collocation.n_boundary is None else collocation.n_boundary
    solver, block_rows = least_squares.solver, least_squares.block_rows
    interior_points = collocation.interior_points
    boundary_points = collocation.boundary_points
    mesh = device_mesh(devices)
    resolved = choose_backend(least_squares.backend, solver, mesh)
    n_int = _count(interior_points, n_interior)
    n_bnd = _count(boundary_points, n_boundary, pair=True)
    check_memory(memory_needs(dim=problem.dim, n_interior=n_int, n_boundary=n_bnd,
                              layout=layout, hidden=hidden,
                              width=hidden * (2 if features.activation == "fourier" else 1),
                              solver=solver, block_rows=block_rows, backend=resolved,
                              sketch_factor=float(least_squares.sketch_factor),
                              devices=mesh.size),
                 where=where, devices=list(mesh.devices.flat) if resolved == "device" else ())
    k_net, k_pts = jax.random.split(key)
    interior, bpts, bnrm = collocation_points(problem.domain, k_pts, n_interior=n_interior,
                                              n_boundary=n_boundary,
                                              sampling=collocation.sampling,
                                              interior_points=interior_points,
                                              boundary_points=boundary_points)
    t_sample = time.perf_counter()
    f = evaluate(problem.f, "f", interior)
    # Neumann / Robin data of a Poisson problem is g(x, n); every other g is g(x)
    with_normals = getattr(problem, "bc", None) in ("neumann", "robin")
    g = evaluate(problem.g, "g", bpts, bnrm if with_normals else None)
    return Collocated(hidden, scale, k_net, interior, bpts, bnrm, f, g, t_sample - t_start,
                      jax.random.fold_in(key, _SOLVER_STREAM), mesh)


def _points(x, dim, name):
    x = as_float_array(x, name, f"points of shape (n, {dim})")
    if x.ndim != 2 or x.shape[1] != dim or x.shape[0] == 0:
        raise ValueError(f"{name} must have shape (n, {dim}) with n > 0, got {x.shape}.")
    if not np.all(np.isfinite(x)):
        bad = int(np.argmax(~np.all(np.isfinite(x), axis=1)))
        raise ValueError(f"{name} (shape {x.shape}) holds non-finite values, first at row {bad}: "
                         f"{x[bad].tolist()}; give finite points.")
    return x


def evaluate(fn, name: str, points, normals=None) -> np.ndarray:
    """Values of a pointwise data function at all points, checked for NaN/inf.

    Raises:
        ValueError: some values are not finite (the message gives how many and an example).
    """
    args = (points,) if normals is None else (points, normals)
    try:
        values = _vectorised(fn)(*(jnp.asarray(a) for a in args))
        values = np.asarray(values, dtype=np.float64).reshape(points.shape[0])
    except Exception as err:
        said = str(err).splitlines()[0] if str(err) else ""
        raise TypeError(
            f"the data function {name} could not be evaluated at the {points.shape[0]} "
            f"collocation points ({type(err).__name__}: {said}); it must map one point to a "
            "scalar with jax.numpy."
        ) from err
    bad = ~np.isfinite(values)
    if bad.any():
        first = points[np.argmax(bad)].tolist()
        raise ValueError(
            f"the data function {name} gave non-finite values at {int(bad.sum())} of "
            f"{points.shape[0]} points (first at x={first}); fix {name} there or move the "
            "domain away from its singularities."
        )
    return values


_VECTORISED = weakref.WeakKeyDictionary()


def _vectorised(fn):
    """jit(vmap(fn)), cached per data function so repeated solves do not recompile."""
    try:
        return _VECTORISED[fn]
    except (KeyError, TypeError):
        compiled = jax.jit(jax.vmap(fn))
    try:
        _VECTORISED[fn] = compiled
    except TypeError:
        pass
    return compiled


def choose_backend(backend: str, solver: str, mesh) -> str:
    """Where the least squares runs: "host" (SciPy's LAPACK) or "device" (JAX, sharded).

    "auto" keeps the host path on one CPU device of one process, where LAPACK's structured
    update (dtpqrt) beats the device fold, and for the host-only solvers; everything else
    (accelerators, several devices or processes) runs on the devices.
    """
    if backend != "auto":
        return backend
    if solver != "qr":
        return "host"
    single_cpu = mesh.size == 1 and mesh.devices.flat[0].platform == "cpu"
    return "host" if single_cpu and jax.process_count() == 1 else "device"


@blas_threads()
def solve_system(problem, networks: list[Network], groups: list[RowGroup], *, method: str,
                 least_squares: LeastSquares, key_solver: jax.Array, residuals: bool, mesh,
                 info: dict, progress: bool | None = None) -> ELMSolution:
    """Assemble the row groups block by block, solve, and wrap the result in an ELMSolution.

    `progress` (default: in interactive sessions, for systems of more than 1e11 rows × columns²,
    a few seconds and more) shows the rows assembled and folded into the factor on the host
    path, block by block; the device path is one fused computation and shows its
    start and end. Ctrl-C stops the host path between blocks (a `KeyboardInterrupt`; nothing is
    written and no thread is left running). SciPy's BLAS runs inside `blas_threads()` (half the
    cores by default, `PDESOLVE_BLAS_THREADS` to choose), so it does not fight XLA's threads.
    """
    solver, finish, rcond = least_squares.solver, least_squares.finish, least_squares.rcond
    row_scaling, block_rows = least_squares.row_scaling, least_squares.block_rows
    sketch_factor = least_squares.sketch_factor
    n_cols = sum(n.width for n in networks)
    n_rows = sum(g.size for g in groups)
    if n_rows < n_cols:
        warnings.warn(
            f"{n_rows} collocation rows for {n_cols} unknowns: the least-squares system is "
            "underdetermined and the minimum-norm solution is usually inaccurate; raise "
            "n_interior / n_boundary or lower hidden.",
            UserWarning,
            stacklevel=3,
        )
    backend = choose_backend(least_squares.backend, solver, mesh)
    # on the device, assembly and the rank-revealing finish are fused into one computation
    timer = {"assembly": 0.0}
    t0 = time.perf_counter()
    if progress is None:  # automatic: interactive sessions, systems that take seconds
        progress = default_enabled() and n_rows * n_cols**2 > _LONG_SOLVE_FLOPS
    bar = Progress(n_rows, progress, unit="rows")
    bar.update(0)
    if backend == "device":
        system = DeviceSystem(networks, groups, mesh=mesh, block_rows=block_rows)
        x, stats = system.solve(finish=finish, rcond=rcond, row_scaling=row_scaling)
        devices = mesh.size
        bar.update(n_rows)
    else:

        def timed_blocks():
            source = iter_blocks(networks, groups, block_rows=block_rows,
                                 row_scaling=row_scaling)
            left = [g.size for g in groups]  # rows of each group not yet folded in
            while True:
                t = time.perf_counter()
                item = next(source, None)
                timer["assembly"] += time.perf_counter() - t
                if item is None:
                    return
                yield item[1], item[2]
                left[item[0]] -= min(block_rows, left[item[0]])  # padding rows not counted
                bar.update(n_rows - sum(left))

        rng = np.random.default_rng(np.asarray(jax.random.key_data(key_solver)))
        x, stats = _lstsq.least_squares(timed_blocks(), [n.width for n in networks],
                                        solver=solver, finish=finish, rcond=rcond, rng=rng,
                                        sketch_factor=sketch_factor)
        devices = 1
    bar.close()
    total = time.perf_counter() - t0
    info.update(rows=n_rows, unknowns=n_cols, rank=stats["rank"],
                condition=stats.get("condition"), rcond=rcond, backend=backend,
                devices=devices, processes=jax.process_count(),
                platform=str(mesh.devices.flat[0].platform) if backend == "device" else "cpu",
                time_assembly_s=timer["assembly"], time_solve_s=total - timer["assembly"],
                time_rank_revealing_s=stats.get("time_finish_s", 0.0))
    if solver == "sketch":
        info.update(sketch_factor=sketch_factor, sketched_rows=stats["sketched_rows"],
                    time_sketch_s=stats["time_sketch_s"])
    splits = np.cumsum([n.width for n in networks])[:-1]
    coefficients = np.split(x, splits)
    if residuals:
        t = time.perf_counter()
        info["residuals"] = (system.residuals(x) if backend == "device"
                             else group_residuals(networks, groups, x, block_rows))
        info["time_residuals_s"] = time.perf_counter() - t
    return ELMSolution(networks, coefficients, problem=problem, info=info, method=method)


def group_residuals(networks, groups, x, block_rows) -> dict:
    """RMS and max of the unscaled residual A x − b of every row group."""
    sq = np.zeros(len(groups))
    mx = np.zeros(len(groups))
    parts = np.split(x, np.cumsum([n.width for n in networks])[:-1])
    for gi, sup, block in iter_blocks(networks, groups, block_rows=block_rows,
                                      row_scaling="none", raw=True):
        r = block[:, :-1] @ np.concatenate([parts[k] for k in sup]) - block[:, -1]
        sq[gi] += float(r @ r)
        mx[gi] = max(mx[gi], float(np.max(np.abs(r)))) if r.size else mx[gi]
    return {g.name: {"rms": float(np.sqrt(sq[i] / g.size)), "max": float(mx[i])}
            for i, g in enumerate(groups)}
