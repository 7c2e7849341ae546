"""SFHCPINN on split boundary conditions of non-box domains, user G/D overrides, progress."""

import sys
import types
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import pdesolve as pds
from pdesolve import geometry as geo
from pdesolve import training
from pdesolve.pinn import FourierSubnets, Model, hard_constraint
from pdesolve.pinn._model import _taylor
from pdesolve.training._progress import default_enabled

SMALL = {"widths": (8, 16, 8), "scales": (1, 2, 4, 8), "n_interior": 256, "n_boundary": 64,
         "n_initial": 64, "chunk": 50, "eval_every": 100, "progress": False}
TINY = {"widths": (8,), "n_interior": 16, "n_boundary": 8, "n_initial": 8, "chunk": 1,
        "progress": False}


def exact(x, t):
    return jnp.exp(-0.25 * t) * (jnp.sin(jnp.pi * x[0]) * jnp.cos(2 * x[1]) + x[0] * x[1])


PLATE = geo.Rectangle((0, 0), (1, 1)) - geo.Disk((0.5, 0.5), 0.2)
TWO_HOLES = geo.Disk((0, 0), 1.0) - geo.Disk((-0.4, 0), 0.2) - geo.Disk((0.4, 0.1), 0.25)
L_SHAPE = geo.Polygon([(0, 0), (1, 0), (1, 0.5), (0.5, 0.5), (0.5, 1), (0, 1)])
L_SPLIT = {f"edge{i}": "neumann" if i in (2, 3) else "dirichlet" for i in range(6)}
POROUS = geo.Mesh.from_file(Path(__file__).resolve().parent.parent / "geometry" /
                            "porous_plate.msh")
SPLITS = [
    (PLATE, {"outer": "dirichlet", "holes": "neumann"}, False),
    (PLATE, {"outer": "neumann", "hole1": "dirichlet"}, True),
    (TWO_HOLES, {"outer": "dirichlet", "hole1": "neumann", "hole2": "dirichlet"}, False),
    (L_SHAPE, L_SPLIT, False),
    (L_SHAPE, {f"edge{i}": "dirichlet" if i in (0, 4) else "neumann" for i in range(6)}, True),
    # Dirichlet on the reflex edge only: its line distance is negative in the upper arm, so D
    # falls back to the R-function factor (the test fails if D ≤ 0 inside)
    (L_SHAPE, {f"edge{i}": "dirichlet" if i == 2 else "neumann" for i in range(6)}, False),
    (POROUS, {"outer": "neumann", "holes": "dirichlet"}, False),
    (POROUS, {"outer": "dirichlet", **{f"hole{k}": "neumann" if k in (3, 7) else "dirichlet"
                                       for k in range(1, 11)}}, True),
]


def test_parts_of_a_polygon_are_its_edges(key):
    names = [name for name, _ in geo.boundary_parts(L_SHAPE)]
    assert names == [f"edge{i}" for i in range(6)]
    points, _ = L_SHAPE.sample_boundary(3000, key=key)
    which = geo.classify_boundary(L_SHAPE, points)
    a, b = L_SHAPE.vertices, np.roll(L_SHAPE.vertices, -1, axis=0)
    # each point lies on the segment it is assigned to
    rel, edge = points - a[which], b[which] - a[which]
    cross = rel[:, 0] * edge[:, 1] - rel[:, 1] * edge[:, 0]
    along = np.sum(rel * edge, axis=1) / np.sum(edge**2, axis=1)
    assert np.max(np.abs(cross)) < 1e-9
    assert np.all((along > -1e-9) & (along < 1 + 1e-9))
    # shares follow the edge lengths 1, 0.5, 0.5, 0.5, 0.5, 1 (perimeter 4)
    np.testing.assert_allclose(np.bincount(which, minlength=6) / 3000,
                               np.array([1, 0.5, 0.5, 0.5, 0.5, 1]) / 4, atol=0.03)
    problem = pds.AdvectionDiffusion.manufactured(L_SHAPE, (0, 1), 0.1, (1.0, 0.5), exact,
                                                  bc=L_SPLIT)
    assert [kind for kind, _ in problem.conditions] == ["dirichlet"] * 2 + ["neumann"] * 2 + [
        "dirichlet"] * 2


def test_parts_of_a_difference(key):
    assert geo.boundary_parts(TWO_HOLES)[0][0] == "outer"
    problem = pds.AdvectionDiffusion.manufactured(TWO_HOLES, (0, 1), 0.1, (1.0, 0.5), exact,
                                                  bc={"outer": "dirichlet", "holes": "neumann"})
    assert problem.parts == ("outer", "hole1", "hole2")
    assert [kind for kind, _ in problem.conditions] == ["dirichlet", "neumann", "neumann"]
    points, _ = TWO_HOLES.sample_boundary(4000, key=key)
    counts = np.bincount(geo.classify_boundary(TWO_HOLES, points), minlength=3)
    # boundary measure: circles of radius 1, 0.2 and 0.25
    np.testing.assert_allclose(counts / 4000, np.array([1, 0.2, 0.25]) / 1.45, atol=0.03)
    with pytest.raises(ValueError, match="hole3"):
        pds.AdvectionDiffusion.manufactured(TWO_HOLES, (0, 1), 0.1, (1.0, 0.5), exact,
                                            bc={"boundary": "dirichlet", "hole3": "neumann"})


@pytest.mark.parametrize("domain, bc, steady", SPLITS)
def test_split_ansatz_matches_initial_and_dirichlet_data(domain, bc, steady, key):
    fn = (lambda x: exact(x, 0.3)) if steady else exact
    problem = pds.AdvectionDiffusion.manufactured(domain, None if steady else (0.0, 2.0), 0.1,
                                                  (1.0, 0.5), fn, bc=bc)
    g, d = hard_constraint(problem)
    net = FourierSubnets(2 if steady else 3, widths=(4, 6), scales=(1, 3))
    model = Model(problem, net, True, g, d, jnp.float64)
    params = net.init(key, jnp.float64)
    k1, k2, k3 = jax.random.split(key, 3)
    x = domain.sample_interior(200, key=k1)
    xb, _ = domain.sample_boundary(600, key=k2)
    tb = np.asarray(jax.random.uniform(k3, (600,), minval=0.0, maxval=2.0))
    which = geo.classify_boundary(domain, xb)
    kinds = np.array([problem.conditions[i][0] for i in which])
    assert {"dirichlet", "neumann"} <= set(kinds)
    u_fn, ref_fn, d_fn = jax.jit(model.__call__), jax.jit(jax.vmap(problem.exact)), jax.jit(
        jax.vmap(d))
    u = lambda pts, ts: np.asarray(u_fn(params, pts, None if steady else ts))
    ref = lambda pts, ts: np.asarray(ref_fn(jnp.asarray(pts), jnp.asarray(ts)))
    dist = lambda pts, ts: np.asarray(d_fn(jnp.asarray(pts), jnp.asarray(ts)))
    on = kinds == "dirichlet"
    # u = g on the Dirichlet parts and (time-dependent) u = u0 at t0, to round-off
    assert np.max(np.abs(u(xb[on], tb[on]) - ref(xb[on], tb[on]))) < 1e-12
    if not steady:
        assert np.max(np.abs(u(x, np.zeros(200)) - ref(x, np.zeros(200)))) < 1e-12
    # D vanishes only there: positive inside and on the Neumann parts (after t0)
    later = tb + 0.1
    assert np.min(dist(xb[~on], later[~on])) > 1e-3
    assert np.all(dist(x, np.full(200, 1.0)) > 0)
    assert np.max(np.abs(u(x, np.ones(200)) - ref(x, np.ones(200)))) > 1e-3


def plate_exact(x, t):
    return jnp.exp(-0.25 * t) * x[0] * (4 - x[0]) * x[1] * (4 - x[1])


@pytest.mark.slow  # 10-20 s; kept out of the default suite's 10-minute budget
def test_mesh_extension_reads_only_boundary_data_and_is_smooth(key):
    # data that differ from plate_exact only farther than 0.02 (in the mesh's distance field)
    # from the boundary: G − u0 = B g(t) − B g(t0) must not notice
    away = lambda x, t: plate_exact(x, t) + 100.0 * jnp.maximum(POROUS.distance_field(x) - 0.02, 0)
    blends = []
    x = jnp.asarray(POROUS.sample_interior(300, key=key))
    t = jax.random.uniform(key, (300,), jnp.float64, 0, 5)
    for fn in (plate_exact, away):
        problem = pds.AdvectionDiffusion.manufactured(POROUS, (0, 5), (1.0, 1.0), (4.0, 4.0), fn)
        g, _ = hard_constraint(problem)
        blend = jax.jit(lambda x, t, g=g, u0=problem.initial: jax.vmap(g)(x, t) - jax.vmap(u0)(x))
        blends.append(np.asarray(blend(x, t)))
    assert np.max(np.abs(blends[0] - blends[1])) < 1e-10
    assert np.max(np.abs(blends[0])) > 1.0
    # the residual of G alone (N = 0) stays of the size of the source f ≤ 65 (the damped
    # projection along the mesh's distance gave mean square 6e5, max 1e4; this gives 2.6e3, 443)
    problem = pds.AdvectionDiffusion.manufactured(POROUS, (0, 5), (1.0, 1.0), (4.0, 4.0),
                                                  plate_exact)
    g, _ = hard_constraint(problem)
    k1, k2 = jax.random.split(jax.random.PRNGKey(0))
    x = jnp.asarray(POROUS.sample_interior(2000, key=k1), jnp.float32)
    t = jax.random.uniform(k2, (2000,), jnp.float32, 0, 5)
    batch = lambda z: jax.vmap(g)(z[:, :2], z[:, 2])
    _, first, second = jax.jit(lambda z: _taylor(batch, z, 2))(jnp.column_stack([x, t]))
    residual = (first[2] + 4 * first[0] + 4 * first[1] - second[0] - second[1]
                - jax.vmap(problem.source)(x, t))
    assert np.all(np.isfinite(np.asarray(residual)))
    assert float(jnp.mean(residual**2)) < 1e4 and float(jnp.max(jnp.abs(residual))) < 2e3


def test_mesh_distance_factor_does_not_ripple_along_a_side():
    # D's spatial factor blends the segments' line distances: along the plate's bottom side it
    # is nearly proportional to the height (the R-equivalence of the 40 facets there ripples
    # by 26–30% at these heights)
    problem = pds.AdvectionDiffusion.manufactured(POROUS, (0, 5), (1.0, 1.0), (4.0, 4.0),
                                                  plate_exact)
    _, d = hard_constraint(problem)
    xs = np.linspace(0.2, 3.8, 721)
    for height in (0.005, 0.02):
        points = jnp.asarray(np.column_stack([xs, np.full(721, height)]))
        ratio = np.asarray(jax.jit(jax.vmap(d))(points, jnp.full(721, 5.0))) / height
        assert np.all(ratio > 0) and (ratio.max() - ratio.min()) / ratio.mean() < 0.03


def growing(x, t):
    return x[0] * x[1] + 2 * t * jnp.sin(jnp.pi * x[0]) * jnp.sin(jnp.pi * x[1])


@pytest.mark.slow  # 10-20 s; kept out of the default suite's 10-minute budget
def test_split_training_error_falls(key):
    problem = pds.AdvectionDiffusion.manufactured(PLATE, (0, 1), 0.1, (1.0, 0.5), growing,
                                                  bc={"outer": "dirichlet", "holes": "neumann"})
    sol = pds.sfhcpinn.solve(problem, key=key, steps=150, **{**SMALL, "eval_every": 150})
    info = sol.info
    assert info["error"][-1] < 0.1 * info["error"][0]
    assert info["relative_l2"] < 0.05
    assert "neumann" in info["terms"]
    xb, _ = PLATE.sample_boundary(200, key=key)
    outer = geo.classify_boundary(PLATE, xb) == 0
    t = np.full(int(outer.sum()), 0.6)
    # the outer (Dirichlet) data hold exactly, up to float32 round-off
    np.testing.assert_allclose(sol(xb[outer], t), jax.vmap(growing)(xb[outer], t), atol=1e-5)


@pytest.mark.slow  # 10-20 s; kept out of the default suite's 10-minute budget
def test_polygon_training_error_falls(key):
    # the segment-wise G and D on an L-shape with Neumann data on the two reflex edges
    problem = pds.AdvectionDiffusion.manufactured(L_SHAPE, (0, 1), 0.1, (1.0, 0.5), growing,
                                                  bc=L_SPLIT)
    sol = pds.sfhcpinn.solve(problem, key=key, steps=150, **{**SMALL, "eval_every": 150})
    # measured: 0.96 → 0.12 (0.053 after 400 steps)
    assert sol.info["error"][-1] < 0.2 * sol.info["error"][0]
    assert sol.info["relative_l2"] < 0.2
    xb, _ = L_SHAPE.sample_boundary(200, key=key)
    on = np.isin(geo.classify_boundary(L_SHAPE, xb), [0, 1, 4, 5])
    t = np.full(int(on.sum()), 0.6)
    np.testing.assert_allclose(sol(xb[on], t), jax.vmap(growing)(xb[on], t), atol=1e-5)


def _problem_1d():
    return pds.AdvectionDiffusion.manufactured(geo.Interval(0, 1), (0, 1), 0.02, 0.01,
                                               lambda x, t: jnp.exp(-t) * jnp.sin(jnp.pi * x[0]))


def test_user_extension_and_distance_are_used_exactly(key):
    problem = _problem_1d()
    g = lambda x, t: jnp.exp(-t) * jnp.sin(jnp.pi * x[0]) + 0.5
    zero = lambda x, t: jnp.zeros((), x.dtype)
    x, t = np.linspace(0, 1, 7)[:, None], np.linspace(0, 1, 7)
    # D ≡ 0: the solution is G whatever the network learnt
    sol = pds.pinn.solve(problem, key=key, steps=1, variant="hcpinn", extension=g,
                         distance=zero, **TINY)
    assert sol.model.extension is g and sol.model.distance is zero
    np.testing.assert_allclose(sol(x, t), jax.vmap(g)(x, t), rtol=1e-6)
    # G ≡ 0, D ≡ 1 + x: the solution is (1 + x)·N
    one = lambda x, t: 1.0 + x[0]
    sol = pds.pinn.solve(problem, key=key, steps=1, variant="hcpinn", extension=zero,
                         distance=one, **TINY)
    z = jnp.asarray(np.concatenate([x, t[:, None]], 1), jnp.float32)
    np.testing.assert_allclose(sol(x, t), (1 + x[:, 0]) * sol.model.network.apply(sol.params, z),
                               rtol=1e-6)


G_OK = lambda x, t: x[0] * t


@pytest.mark.parametrize(
    "options, err, match",
    [
        ({"extension": G_OK}, ValueError, "both"),
        ({"extension": "x*t", "distance": G_OK}, TypeError, "extension"),
        ({"extension": G_OK, "distance": lambda x, t: x * t}, ValueError, "distance.*shape"),
        ({"extension": G_OK, "distance": lambda x: x[0]}, TypeError, "distance"),
        ({"extension": G_OK, "distance": G_OK, "variant": "sfpinn"}, ValueError, "hard"),
    ],
)
def test_bad_overrides(options, err, match, key):
    variant = options.pop("variant", "hcpinn")
    with pytest.raises(err, match=match):
        pds.pinn.solve(_problem_1d(), key=key, steps=1, variant=variant, **options)


def test_progress_renders_in_a_jupyter_like_kernel(monkeypatch, capsys, key):
    # a notebook kernel: ipykernel imported, stderr is not a terminal
    monkeypatch.setitem(sys.modules, "ipykernel", types.ModuleType("ipykernel"))
    assert default_enabled()
    loss = lambda p, batch, step: (jnp.mean((p - batch) ** 2), {})
    sample = lambda k: jax.random.normal(k, (4,))
    _, info = training.train(loss, jnp.zeros(4), key=key, steps=30, chunk=10, sample=sample)
    err = capsys.readouterr().err
    assert err.count("\r[") == 3 and "30/30" in err and "it/s" in err and err.endswith("\n")
    assert len(info["loss"]) == 30


def test_repeated_fits_on_a_pooled_domain_compile_nothing(key):
    """Off boxes the point pools are fixed per domain, so a second fit (another key) reuses the
    first fit's sampler, loss and compiled chunk."""
    problem = pds.AdvectionDiffusion.manufactured(
        geo.Disk((0, 0), 1), None, 1.0, (1.0, 0.5), lambda x: jnp.sin(x[0]) * jnp.cos(x[1]))
    first = pds.sfhcpinn.solve(problem, key=key, steps=2, **TINY)
    second = pds.sfhcpinn.solve(problem, key=jax.random.fold_in(key, 1), steps=2, **TINY)
    assert first.info["compilations"] >= 1
    assert second.info["compilations"] == 0
