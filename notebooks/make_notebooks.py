"""Write the tutorial notebooks (outputs cleared) from the cell sources below.

Run `python notebooks/make_notebooks.py` after editing; `tests/test_notebooks.py` checks that the
committed notebooks match this file and executes each one with PDESOLVE_QUICK=1.
"""

from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent

SETUP = '''\
%matplotlib inline
import os

import jax
import jax.numpy as jnp
import numpy as np

jax.config.update("jax_enable_x64", True)

import pdesolve as pds
from pdesolve import geometry as geo
from pdesolve import plotting

QUICK = os.environ.get("PDESOLVE_QUICK") == "1"  # tiny settings for the test suite
key = jax.random.PRNGKey(0)'''

QUICKSTART = [
    ("md", """\
# Quick start: a biharmonic problem with CELM

Coupled extreme learning machines (CELM) solve the biharmonic equation

$$\\Delta^2 u = f \\text{ in } \\Omega, \\qquad u = g,\\ \\Delta u = h \\text{ on } \\partial\\Omega
\\quad\\text{(Navier)}$$

by writing $u$ and $v = \\Delta u$ as two random-feature networks whose output weights come from
one linear least-squares problem. Here $\\Omega$ is an irregular domain: a non-convex polygon
with a circular hole. Set `PDESOLVE_QUICK=1` for a fast, rough run."""),
    ("code", SETUP),
    ("md", """\
## The domain and the problem

We pick an exact solution, and `Biharmonic.manufactured` derives $f$, $g$ and $h$ from it by
automatic differentiation, so we can measure the error."""),
    ("code", '''\
outline = geo.Polygon([(0.0, 0.0), (2.0, 0.0), (2.0, 0.8), (1.2, 1.0), (1.6, 2.0), (0.0, 1.6)])
domain = outline - geo.Disk((0.6, 0.7), 0.3)


def exact(x):
    return jnp.sin(jnp.pi * x[0]) * jnp.cos(0.5 * jnp.pi * x[1]) + 0.25 * x[0] * x[1] ** 2


problem = pds.Biharmonic.manufactured(domain, exact, bc="navier")
problem'''),
    ("md", "## Solve in one line, then measure the error at fresh points"),
    ("code", '''\
points = dict(n_interior=240, n_boundary=120) if QUICK else {}  # {}: the defaults
sol = pds.celm.solve(problem, key=key, **points, **(dict(hidden=60) if QUICK else {}))

test_points = domain.sample_interior(4000, key=jax.random.PRNGKey(1))
u_exact = jax.vmap(exact)(test_points)
print("relative L2 error:", float(pds.metrics.relative_l2(sol(test_points), u_exact)))
print("max error        :", float(pds.metrics.max_error(sol(test_points), u_exact)))
print("settings         :", {k: sol.info[k] for k in ("hidden", "n_interior", "n_boundary")})'''),
    ("md", """\
## Solution and error maps

`plotting.plot_solution` draws the solution and the pointwise error $|u_h - u|$ (log colour
scale); the hole stays blank."""),
    ("code", "plotting.plot_solution(sol)"),
    ("md", """\
## Convergence in the number of features M

Same collocation points, growing width M of the networks: the error of CELM falls roughly
exponentially in M (until round-off), so a semilog axis shows it as a line."""),
    ("code", '''\
widths = [20, 40, 60] if QUICK else [50, 100, 150, 200, 300, 400]
errors = []
for m in widths:
    s = pds.celm.solve(problem, key=key, hidden=m, **points)
    errors.append(float(pds.metrics.relative_l2(s(test_points), u_exact)))
    print(f"M = {m:4d}: relative L2 error {errors[-1]:.2e}")
plotting.plot_convergence(widths, errors, scale="semilogy", title="CELM on the holed polygon")'''),
]

ADVECTION = [
    ("md", """\
# Advection–diffusion: SFHCPINN vs a plain PINN

$$u_t + a\\,u_x - \\kappa\\,u_{xx} = f \\quad\\text{on } (0, 1) \\times (0, 1]$$

with Dirichlet boundaries and an initial condition, all derived from an exact solution.
SFHCPINN builds the initial and boundary data into the ansatz $u = G + D\\,N$ (hard
constraints) with multi-scale Fourier subnetworks $N$; the plain PINN fits them with penalty
terms. Set `PDESOLVE_QUICK=1` for a fast, rough run."""),
    ("code", SETUP),
    ("code", '''\
domain = geo.Interval(0.0, 1.0)


def exact(x, t):
    return jnp.exp(-0.5 * t) * jnp.sin(2 * jnp.pi * x[0]) + 0.5 * x[0] * t


problem = pds.AdvectionDiffusion.manufactured(
    domain, (0.0, 1.0), diffusivity=0.05, velocity=(0.5,), exact=exact, bc="dirichlet"
)
if QUICK:  # tiny networks, batches and step counts, so that the test suite runs this in seconds
    steps = 30
    common = dict(n_interior=128, n_boundary=32, n_initial=32, eval_every=10, chunk=10)
    sf_net, pinn_net = dict(scales=(1, 2, 4), widths=(8, 16, 8)), dict(widths=(20, 20))
else:  # the library defaults
    steps, common = 5000, dict(eval_every=250)
    sf_net, pinn_net = {}, {}'''),
    ("md", "## Train both (progress is shown while they run)"),
    ("code", '''\
sf = pds.sfhcpinn.solve(problem, key=key, steps=steps, **common, **sf_net)
plain = pds.pinn.solve(problem, key=key, steps=steps, variant="pinn", **common, **pinn_net)
for name, s in (("SFHCPINN", sf), ("PINN", plain)):
    print(f"{name:9s} relative L2 error {s.info['relative_l2']:.2e}, "
          f"{s.info['it_per_s']:.0f} it/s")'''),
    ("md", """\
## Loss and error histories

The loss is the training objective (so not comparable between the two methods: the plain PINN
adds penalty terms); the relative $L^2$ error against the exact solution is."""),
    ("code", '''\
plotting.plot_history({"SFHCPINN": sf.info["loss"], "PINN": plain.info["loss"]},
                      ylabel="training loss", title="loss")'''),
    ("code", '''\
plotting.plot_history(
    {
        "SFHCPINN": (sf.info["error_steps"], sf.info["error"]),
        "PINN": (plain.info["error_steps"], plain.info["error"]),
    },
    ylabel=r"relative $L^2$ error",
    title="error during training",
)'''),
    ("md", "## Snapshots over time (dashed: exact) and the space–time error"),
    ("code", '''\
exact_batch = jax.vmap(exact)
times = [0.0, 0.5, 1.0]
plotting.plot_snapshots(sf, domain, times, exact=exact_batch, title="SFHCPINN")'''),
    ("code", 'plotting.plot_snapshots(plain, domain, times, exact=exact_batch, title="PINN")'),
    ("code", "plotting.plot_solution(sf)"),
]

GALLERY = [
    ("md", """\
# Geometry gallery

Every shape of `pdesolve.geometry`: primitives, polygons, constructive solid geometry (CSG), a
triangle mesh read from `geometry/`, 3D shapes and space × time. Each can sample its interior
and boundary (with outward unit normals) and has a smooth distance function that is zero on the
boundary, positive inside."""),
    ("code", SETUP + '''
import matplotlib.figure'''),
    ("code", '''\
L = geo.Polygon([(0, 0), (2, 0), (2, 1), (1, 1), (1, 2), (0, 2)])
triangle_up = geo.Polygon([(0, 1.3), (-1.126, -0.65), (1.126, -0.65)])
triangle_down = geo.Polygon([(0, -1.3), (1.126, 0.65), (-1.126, 0.65)])
shapes_2d = {
    "square": geo.Rectangle((0, 0), (1, 1)),
    "disk": geo.Disk((0, 0), 1),
    "annulus (disk − disk)": geo.Disk((0, 0), 1) - geo.Disk((0, 0), 0.5),
    "L-shape (polygon)": L,
    "hexagram (union)": triangle_up | triangle_down,
    "three-level CSG": (geo.Rectangle((-1, -1), (1, 1)) - geo.Disk((0, 0), 0.6))
    | (geo.Disk((0, 0), 0.3) & geo.Rectangle((-0.3, -0.3), (0.3, 0.0))),
    "mesh with holes": geo.Mesh.from_file("../geometry/porous_plate.msh"),
}
shapes_other = {
    "interval": geo.Interval(-1, 2),
    "box 3D": geo.Box((0, 0, 0), (1, 2, 0.5)),
    "ball 3D": geo.Ball((0, 0, 0), 1),
    "shell (ball − ball)": geo.Ball((0, 0, 0), 1) - geo.Ball((0, 0, 0), 0.5),
}'''),
    ("md", "## Interior samples, boundary samples and outward normals"),
    ("code", '''\
n_in, n_bd = (200, 80) if QUICK else (1500, 300)
fig = matplotlib.figure.Figure(figsize=(16, 8), layout="constrained")
axes = fig.subplots(2, 4).ravel()
for ax, (name, shape) in zip(axes, shapes_2d.items()):
    geo.plot_domain(shape, key=key, n_interior=n_in, n_boundary=n_bd, ax=ax)
    ax.set_title(name)
    ax.set_xlabel("$x_0$")
    ax.set_ylabel("$x_1$")
axes[-1].set_visible(False)
fig'''),
    ("md", """\
## Measures: Monte Carlo against the exact value

The fraction of uniform points of the bounding box that a domain contains, times the box
volume, estimates its measure; the standard error says how far it may honestly be off."""),
    ("code", '''\
n_mc = 20_000 if QUICK else 400_000
side = 1.3 * np.sqrt(3)  # the hexagram's triangles have circumradius 1.3
by_hand = {  # measures the CSG shapes cannot know, worked out by hand
    "annulus (disk − disk)": np.pi * (1 - 0.5**2),
    "hexagram (union)": side**2 / np.sqrt(3),
    "three-level CSG": 4 - np.pi * 0.6**2 + np.pi * 0.3**2 / 2,
    "shell (ball − ball)": 4 / 3 * np.pi * (1 - 0.5**3),
}
print(f"{'shape':24s} {'exact':>10s} {'Monte Carlo':>12s} {'± std err':>10s}")
for name, shape in {**shapes_2d, **shapes_other}.items():
    lo, hi = shape.bbox
    box = float(np.prod(hi - lo))
    u = jax.random.uniform(jax.random.PRNGKey(2), (n_mc, shape.dim), dtype=jnp.float64)
    p = shape.contains(lo + (hi - lo) * np.asarray(u)).mean()
    exact = shape.measure if shape.measure is not None else by_hand.get(name)
    exact_text = f"{exact:10.4f}" if exact is not None else f"{'—':>10s}"
    print(f"{name:24s} {exact_text} {box * p:12.4f} {box * np.sqrt(p * (1 - p) / n_mc):10.4f}")'''),
    ("md", """\
## Normals point outward, and the distance is zero on the boundary

A small step along the normal leaves the domain, a step against it stays inside."""),
    ("code", '''\
print(f"{'shape':24s} {'max |distance| on ∂Ω':>22s} {'outward':>8s} {'inward':>8s}")
for name, shape in {**shapes_2d, **shapes_other}.items():
    pts, normals = shape.sample_boundary(500, key=key)
    eps = 1e-6 * float(np.max(shape.bbox[1] - shape.bbox[0]))
    out = (~shape.contains(pts + eps * normals)).mean()
    inside = shape.contains(pts - eps * normals).mean()
    dist = float(jnp.max(jnp.abs(shape.distance(pts))))
    print(f"{name:24s} {dist:22.1e} {out:8.1%} {inside:8.1%}")'''),
    ("md", """\
## The smooth distance function

Hard-constrained PINNs multiply the network by it; here it is on the annulus and the mesh."""),
    ("code", '''\
plotting.plot_field(shapes_2d["annulus (disk − disk)"].distance, shapes_2d["annulus (disk − disk)"],
                    label="distance φ", title="distance: annulus")'''),
    ("code", '''\
plotting.plot_field(shapes_2d["mesh with holes"].distance, shapes_2d["mesh with holes"],
                    label="distance φ", title="distance: porous plate mesh")'''),
    ("md", """\
## 3D: boundary samples of the shell

Coloured by the radial component of the outward normal: +1 on the outer sphere, −1 on the
inner one (the normals of a subtracted ball point into the cavity). The front is cut away."""),
    ("code", '''\
pts, normals = shapes_other["shell (ball − ball)"].sample_boundary(600 if QUICK else 3000, key=key)
fig = matplotlib.figure.Figure(figsize=(6, 5), layout="constrained")
ax = fig.add_subplot(projection="3d")
cut = pts[:, 1] < 0.2  # cut the front away to see the inner sphere
radial = np.sum(normals * pts, axis=1) / np.linalg.norm(pts, axis=1)
points = ax.scatter(*pts[cut].T, c=radial[cut], cmap="coolwarm", vmin=-1, vmax=1, s=4)
fig.colorbar(points, ax=ax, shrink=0.6, label=r"$n \\cdot x / |x|$ (outer +1, inner −1)")
ax.set_xlabel("$x_0$")
ax.set_ylabel("$x_1$")
ax.set_zlabel("$x_2$")
fig'''),
    ("md", "## Space × time: interior, lateral boundary and initial points"),
    ("code", '''\
st = geo.SpaceTime(geo.Interval(0, 1), 0.0, 2.0)
k1, k2, k3 = jax.random.split(key, 3)
xi, ti = st.sample_interior(400, key=k1)
xb, tb, nb = st.sample_boundary(60, key=k2)
x0 = st.sample_initial(60, key=k3)
fig = matplotlib.figure.Figure(figsize=(6, 4), layout="constrained")
ax = fig.add_subplot()
ax.scatter(xi[:, 0], ti, s=3, label="interior")
ax.scatter(xb[:, 0], tb, s=8, label="boundary")
ax.scatter(x0[:, 0], np.zeros(len(x0)), s=8, label="initial")
ax.set_xlabel("$x$")
ax.set_ylabel("$t$")
ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
fig'''),
]

OWN = [
    ("md", """\
# Your own problem, solved two ways

Define a domain and an exact solution, then solve the Poisson problem $-\\Delta u = f$,
$u = g$ on $\\partial\\Omega$ with

* **PIELM** (physics-informed extreme learning machine: one least-squares solve), and
* a **PINN** (the same equation as a steady advection–diffusion problem with zero velocity and
  unit diffusivity, trained with Adam),

and compare. Set `PDESOLVE_QUICK=1` for a fast, rough run."""),
    ("code", SETUP),
    ("md", """\
## 1. Your domain and your exact solution

Any `pdesolve.geometry` domain works: boxes, disks, polygons, meshes, and CSG combinations of
them. Both methods only need the domain's samples, normals and distance function."""),
    ("code", '''\
domain = geo.Disk((0.0, 0.0), 1.0) - geo.Disk((0.35, 0.2), 0.3)  # a disk with an off-centre hole


def exact(x):
    return jnp.exp(0.5 * x[0]) * jnp.sin(2.0 * x[1]) + x[0] ** 2'''),
    ("md", "## 2. PIELM (Poisson)"),
    ("code", '''\
poisson = pds.Poisson.manufactured(domain, exact)
settings = dict(hidden=150, n_interior=600, n_boundary=200) if QUICK else {}
elm = pds.pielm.solve(poisson, key=key, **settings)'''),
    ("md", "## 3. PINN (steady advection–diffusion with zero velocity: −Δu = f)"),
    ("code", '''\
steady = pds.AdvectionDiffusion.manufactured(domain, None, diffusivity=1.0, velocity=(0.0, 0.0),
                                             exact=exact, bc="dirichlet")
if QUICK:  # tiny network and batches so that the test suite runs this in seconds
    options = dict(steps=30, n_interior=128, n_boundary=32, scales=(1, 2, 4), widths=(8, 16, 8))
else:
    options = dict(steps=4000)
net = pds.sfhcpinn.solve(steady, key=key, **options)'''),
    ("md", "## 4. Compare"),
    ("code", '''\
test_points = domain.sample_interior(4000, key=jax.random.PRNGKey(1))
u_exact = jax.vmap(exact)(test_points)
for name, s in (("PIELM", elm), ("SFHCPINN", net)):
    u = s(test_points)
    print(f"{name:9s} relative L2 {float(pds.metrics.relative_l2(u, u_exact)):.2e}   "
          f"max error {float(pds.metrics.max_error(u, u_exact)):.2e}")'''),
    ("code", '''\
import matplotlib.figure

fig = matplotlib.figure.Figure(figsize=(6, 6), layout="constrained")
top, bottom = fig.subplots(2, 1)
exact_batch = jax.vmap(exact)
tri = plotting.domain_triangulation(domain)
shared = dict(vmin=1e-14, vmax=1e-1, triangulation=tri)  # one colour scale for both
plotting.plot_error(elm, exact_batch, domain, ax=top, title="PIELM error", **shared)
plotting.plot_error(net, exact_batch, domain, ax=bottom, title="SFHCPINN error", **shared)
fig'''),
    ("code",
     'plotting.plot_history(net.info["loss"], ylabel="training loss", title="SFHCPINN loss")'),
]

NOTEBOOKS = {
    "01_quickstart_celm.ipynb": QUICKSTART,
    "02_advection_diffusion_sfhcpinn.ipynb": ADVECTION,
    "03_geometry_gallery.ipynb": GALLERY,
    "04_your_own_problem.ipynb": OWN,
}


def build(cells) -> nbformat.NotebookNode:
    """A notebook (no outputs) from ("md" | "code", source) pairs."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3", "display_name": "Python 3", "language": "python"
    }
    nb.metadata["language_info"] = {"name": "python"}
    make = {"md": nbformat.v4.new_markdown_cell, "code": nbformat.v4.new_code_cell}
    nb.cells = [make[kind](source) for kind, source in cells]
    for k, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{k:02d}"
    return nb


def main():
    for name, cells in NOTEBOOKS.items():
        nbformat.write(build(cells), HERE / name)


if __name__ == "__main__":
    main()
