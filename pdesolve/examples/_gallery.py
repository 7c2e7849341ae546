"""The geometry gallery: every kind of domain, sampled and checked against exact measures.

The job "gallery" (`python problems/gallery.py`) is a `ShapeGallery` record. For each shape it
reports the Monte-Carlo area/volume (uniform points in the bounding box, with its standard
error) next to the exact value, the boundary measure next to the exact one, the largest
|distance| at boundary samples, and the worst normal error: the largest angle between a sampled
normal and the outward direction −∇φ/|∇φ| of the distance function (central differences with
step 1e-7·diam(bbox)) a step h = 1e-6·diam(bbox) inside that point. It is largest for samples
within about h of a corner, where ∇φ blends the normals of the two sides. A step h along each
normal must leave the domain and one against it enter ("normals_outward").
"""

import dataclasses
import math
import time
import types
from collections.abc import Callable, Mapping

import jax
import numpy as np

from .. import geometry as geo
from .. import plotting
from ._meshes import load_mesh
from ._option import Option
from ._report import format_summary


@dataclasses.dataclass(frozen=True)
class GalleryShape:
    """One gallery entry: a domain with its exact measures.

    Attributes:
        name: short label.
        domain: a geometry `Domain` (the spatial domain when `time_span` is given).
        measure: exact length/area/volume (space–time volume with a `time_span`).
        boundary_measure: exact boundary measure (lateral boundary measure of the spatial
            domain with a `time_span`).
        time_span: (t0, t1) to check the cylinder `SpaceTime(domain, t0, t1)`, or None.
    """

    name: str
    domain: object
    measure: float
    boundary_measure: float
    time_span: tuple[float, float] | None = None


def gallery_shapes() -> list[GalleryShape]:
    """The gallery of the foundation issue: interval, square, disk, annulus, L-shape,
    hexagram, porous plate mesh, 3D box, 3D ball, a three-level CSG and a space–time domain."""
    up = [(math.cos(a), math.sin(a)) for a in (math.pi / 2, 7 * math.pi / 6, 11 * math.pi / 6)]
    down = [(-x, -y) for x, y in up]
    plate = load_mesh("porous_plate.msh")
    # ((rectangle ∪ disk) ∩ half-plane box) − hole: union, intersection and difference nested
    three = (
        (geo.Rectangle((0, 0), (2, 1)) | geo.Disk((2, 0.5), 0.5)) & geo.Rectangle((0, 0), (2.25, 1))
    ) - geo.Disk((0.6, 0.5), 0.25)
    cap = 0.25 * math.sqrt(0.1875) + 0.25 * math.pi / 6  # disk part with 0 ≤ x − 2 ≤ 1/4
    return [
        GalleryShape("interval", geo.Interval(0.0, 2.0), 2.0, 2.0),
        GalleryShape("square", geo.Rectangle((0, 0), (1, 1)), 1.0, 4.0),
        GalleryShape("disk", geo.Disk((0, 0), 1.0), math.pi, 2 * math.pi),
        GalleryShape(
            "annulus", geo.Disk((0, 0), 1.0) - geo.Disk((0, 0), 0.5), 0.75 * math.pi, 3 * math.pi
        ),
        GalleryShape(
            "L-shape", geo.Polygon([(0, 0), (2, 0), (2, 1), (1, 1), (1, 2), (0, 2)]), 3.0, 8.0
        ),
        GalleryShape(
            "hexagram", geo.Polygon(up) | geo.Polygon(down), math.sqrt(3), 4 * math.sqrt(3)
        ),
        GalleryShape("porous plate", plate, plate.measure, plate.boundary_measure),
        GalleryShape("box 3D", geo.Box((0, 0, 0), (1, 2, 0.5)), 1.0, 7.0),
        GalleryShape("ball 3D", geo.Ball((0, 0, 0), 1.0), 4 * math.pi / 3, 4 * math.pi),
        GalleryShape(
            "CSG 3 levels",
            three,
            2 + cap - math.pi / 16,
            5 + math.pi / 6 + 2 * math.sqrt(0.1875) + math.pi / 2,
        ),
        GalleryShape("space-time", geo.Disk((0, 0), 1.0), 2 * math.pi, 2 * math.pi, (0.0, 2.0)),
    ]


def check_shape(shape: GalleryShape, *, key, n_mc: int, n_boundary: int) -> dict:
    """Measure one gallery shape; see the module docstring for what each number means."""
    space = shape.domain
    spacetime = shape.time_span is not None
    dom = geo.SpaceTime(space, *shape.time_span) if spacetime else space
    k_mc, k_bd, k_t = jax.random.split(key, 3)
    lo, hi = space.bbox
    u = np.random.default_rng(int(jax.random.randint(k_mc, (), 0, 2**31 - 1))).random(
        (n_mc, space.dim + spacetime)
    )
    box = float(np.prod(hi - lo))
    x = lo + (hi - lo) * u[:, : space.dim]
    if spacetime:
        box *= dom.t1 - dom.t0
        inside = dom.contains(x, dom.t0 + (dom.t1 - dom.t0) * u[:, -1])
    else:
        inside = dom.contains(x)
    p = float(inside.mean())
    mc, se = p * box, box * math.sqrt(p * (1 - p) / n_mc)
    # ∇φ by central differences a step h inside each boundary point; the stencil is evaluated
    # in the same batch as the boundary values, so each shape compiles its distance once
    diam = float(np.max(hi - lo))
    h, eps = 1e-6 * diam, 1e-7 * diam
    if spacetime:
        pts, times, nrm = dom.sample_boundary(n_boundary, key=k_bd)
        x0 = dom.sample_initial(n_boundary, key=k_t)
        at_t0 = np.full(len(x0), dom.t0)
        dist_b = np.concatenate(
            [np.asarray(dom.distance(pts, times)), np.asarray(dom.distance(x0, at_t0))]
        )
    else:
        pts, nrm = dom.sample_boundary(n_boundary, key=k_bd)
    d = space.dim
    shifts = eps * np.concatenate([np.eye(d), -np.eye(d)])
    stencil = ((pts - h * nrm)[:, None, :] + shifts).reshape(-1, d)
    if spacetime:
        values = np.asarray(space.distance(stencil))
    else:
        both = np.asarray(space.distance(np.concatenate([pts, stencil])))
        dist_b, values = both[:n_boundary], both[n_boundary:]
    values = values.reshape(n_boundary, 2, d)
    grad = (values[:, 0] - values[:, 1]) / (2 * eps)
    leaves, enters = ~space.contains(pts + h * nrm), space.contains(pts - h * nrm)
    probes_ok = bool(np.all(leaves) and np.all(enters))
    outward = -grad / np.linalg.norm(grad, axis=1, keepdims=True)
    cos = np.clip(np.sum(outward * nrm, axis=1), -1.0, 1.0)
    return {
        "shape": shape.name,
        "dim": space.dim + spacetime,
        "exact": shape.measure,
        "monte_carlo": mc,
        "std_error": se,
        "z_score": (mc - shape.measure) / se if se > 0 else 0.0,
        "boundary_exact": shape.boundary_measure,
        "boundary_measure": space.boundary_measure,
        "max_abs_distance_on_boundary": float(np.max(np.abs(dist_b))),
        "worst_normal_error_rad": float(np.max(np.arccos(cos))),
        "median_normal_error_rad": float(np.median(np.arccos(cos))),
        "max_unit_norm_error": float(np.max(np.abs(np.linalg.norm(nrm, axis=1) - 1))),
        "normals_outward": probes_ok,
    }


def gallery_figure(shapes, *, key):
    """One figure: every 2D gallery domain with samples and normals."""
    from matplotlib.figure import Figure

    flat = [s for s in shapes if s.time_span is None and s.domain.dim == 2]
    cols = 4
    rows = math.ceil(len(flat) / cols)
    fig = Figure(figsize=(4 * cols, 4 * rows), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax, shape, sub in zip(axes, flat, jax.random.split(key, len(flat)), strict=False):
        geo.plot_domain(
            shape.domain, key=sub, n_interior=500, n_boundary=200, ax=ax, title=shape.name
        )
    for ax in axes[len(flat) :]:
        ax.set_axis_off()
    return fig


def format_table(rows) -> str:
    """The gallery rows as a fixed-width text table."""
    head = (
        f"{'shape':<13}{'d':>2} {'exact':>9} {'Monte Carlo':>10} {'± s.e.':>8} {'z':>6}"
        f" {'|∂Ω| exact':>10} {'|∂Ω|':>9} {'max|φ| on ∂Ω':>12} {'normal err':>10}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r['shape']:<13}{r['dim']:>2} {r['exact']:>9.5f} {r['monte_carlo']:>10.5f}"
            f" {r['std_error']:>8.5f} {r['z_score']:>6.2f} {r['boundary_exact']:>10.5f}"
            f" {r['boundary_measure']:>9.5f} {r['max_abs_distance_on_boundary']:>12.1e}"
            f" {r['worst_normal_error_rad']:>10.1e}"
        )
    return "\n".join(lines)


def check_gallery(gallery, settings: dict, *, key, out) -> dict:
    """Check every shape of `gallery` (see the module docstring) and sum up the worst numbers.

    Args:
        gallery: the `ShapeGallery`.
        settings: `n_mc` (Monte-Carlo points per shape) and `n_boundary` (boundary samples).
        key: PRNG key of the samples.
        out: folder for the figure `gallery.png`, or None.

    Returns:
        The worst numbers over the shapes, "table" (one row per shape, also as "_table") and,
        with `out`, "figure" (its path) and "_figures".
    """
    start = time.perf_counter()
    shapes = gallery.build_shapes()
    n_mc, n_boundary = settings["n_mc"], settings["n_boundary"]
    rows = [
        check_shape(s, key=k, n_mc=n_mc, n_boundary=n_boundary)
        for s, k in zip(shapes, jax.random.split(key, len(shapes)), strict=True)
    ]
    results = {
        "n_monte_carlo": n_mc,
        "n_boundary": n_boundary,
        "worst_abs_z_score": max(abs(r["z_score"]) for r in rows),
        "worst_relative_measure_error": max(abs(r["monte_carlo"] / r["exact"] - 1) for r in rows),
        "worst_boundary_measure_error": max(
            abs(r["boundary_measure"] / r["boundary_exact"] - 1) for r in rows
        ),
        "max_abs_distance_on_boundary": max(r["max_abs_distance_on_boundary"] for r in rows),
        "worst_normal_error_rad": max(r["worst_normal_error_rad"] for r in rows),
        "all_normals_outward": all(r["normals_outward"] for r in rows),
        "_table": rows,
        "table": rows,
    }
    if out is not None:
        fig = gallery_figure(shapes, key=jax.random.fold_in(key, 1))
        path = plotting.save_figure(fig, out / "gallery.png", dpi=90)
        results["figure"] = str(path)
        results["_figures"] = [fig]
    results["wall_time_s"] = time.perf_counter() - start
    return results


@dataclasses.dataclass(frozen=True)
class ShapeGallery:
    """A named check of many domains against their exact measures (no PDE, no method).

    Attributes:
        name: the job's key ("gallery"), also the `problems/<name>.py` script name.
        description: one line for `python -m pdesolve list`.
        build_shapes: `build_shapes() -> list[GalleryShape]`.
        settings: `n_mc` and `n_boundary` at full size.
        quick: the settings that `quick=True` (`--quick`) overrides.
        max_abs_z_score: bound on |Monte-Carlo measure − exact| / standard error, every shape.
        max_boundary_distance: bound on |distance| at boundary samples.
        max_boundary_measure_error: bound on the relative error of the boundary measures.
        options: the settings a caller may change.
    """

    name: str
    description: str
    build_shapes: Callable[[], list]
    settings: Mapping[str, object]
    quick: Mapping[str, object]
    max_abs_z_score: float
    max_boundary_distance: float
    max_boundary_measure_error: float
    options: tuple[Option, ...] = ()

    # the distance checks are at 1e-12
    needs_float64 = True

    def __post_init__(self):
        for field in ("settings", "quick"):
            object.__setattr__(self, field, types.MappingProxyType(dict(getattr(self, field))))

    def compute(self, settings: dict, *, key, out) -> dict:
        """Check the shapes with resolved `settings`; see `check_gallery`."""
        return check_gallery(self, settings, key=key, out=out)

    def format_text(self, results: dict) -> str:
        """The table of shapes, then the summary of the worst numbers."""
        return format_table(results["_table"]) + "\n" + format_summary(self, results,
                                                                        hidden=("table",))


GALLERY = ShapeGallery(
    name="gallery",
    description="geometry gallery: sampled domains, Monte-Carlo measures vs exact, normals",
    build_shapes=gallery_shapes,
    settings={"n_mc": 200_000, "n_boundary": 2000},
    quick={"n_mc": 20_000, "n_boundary": 500},
    max_abs_z_score=4.5,
    max_boundary_distance=1e-12,
    max_boundary_measure_error=5e-3,
    options=(Option("n_mc", int, None, "Monte-Carlo points per shape", lower=1),),
)
