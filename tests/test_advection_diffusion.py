"""AdvectionDiffusion problems, manufactured data and the hard-constraint ansatz."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import pdesolve as pds
from pdesolve import geometry as geo
from pdesolve.pinn import FourierSubnets, Model, hard_constraint


def exact_1d(x, t):
    return jnp.exp(-0.25 * t) * (jnp.sin(2 * jnp.pi * x[0]) + 0.1 * jnp.sin(20 * jnp.pi * x[0]))


def exact_2d(x, t):
    return jnp.exp(-0.25 * t) * x[0] * (4 - x[0]) * x[1] * (4 - x[1]) + jnp.cos(x[0] + t)


def test_manufactured_source_makes_exact_a_solution(key):
    problem = pds.AdvectionDiffusion.manufactured(
        geo.Rectangle((0, 0), (4, 4)), (0, 5), (1.0, 0.5), (4.0, 4.0), exact_2d
    )
    x = jax.random.uniform(key, (20, 2), minval=0, maxval=4)
    t = jax.random.uniform(key, (20,), minval=0, maxval=5)
    res = jax.vmap(problem.residual(exact_2d))(x, t)
    assert np.max(np.abs(res)) < 1e-10
    assert problem.exact is exact_2d and problem.domain.dim == 2


def test_steady_problem_and_function_velocity():
    exact = lambda x: jnp.sin(x[0]) * x[1]
    velocity = lambda x: jnp.array([x[1], 1.0])
    problem = pds.AdvectionDiffusion.manufactured(
        geo.Disk((0, 0), 1), None, 0.3, velocity, exact
    )
    assert problem.steady and problem.initial is None
    x = jnp.array([0.3, -0.2])
    # a·∇u − κΔu with u = sin(x) y: ∇u = (cos x · y, sin x), Δu = −sin x · y.
    expected = x[1] * jnp.cos(x[0]) * x[1] + jnp.sin(x[0]) + 0.3 * jnp.sin(x[0]) * x[1]
    assert abs(problem.source(x, None) - expected) < 1e-12


def test_mixed_parts_and_neumann_data():
    problem = pds.AdvectionDiffusion.manufactured(
        geo.Interval(0, 1), (0, 1), 0.02, 0.01, exact_1d,
        bc={"left": "dirichlet", "right": "neumann"},
    )
    assert problem.parts == ("x0-", "x0+")
    assert [k for k, _ in problem.conditions] == ["dirichlet", "neumann"]
    h = problem.condition("right")[1]
    x, t = jnp.array([1.0]), 0.3
    assert abs(h(x, t, jnp.array([1.0])) - jax.grad(exact_1d)(x, t)[0]) < 1e-12


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"diffusivity": -1.0}, "diffusivity"),
        ({"initial": None}, "initial is required"),
        ({"velocity": (1.0, 2.0)}, r"velocity must .* shape \(1,\)"),
        ({"diffusivity": (1.0, 2.0)}, r"diffusivity must .* \(1,\)"),
        ({"neumann": lambda x, t: 0.0}, "both a dirichlet and a neumann"),
        ({"dirichlet": {"left": lambda x, t: 0.0}}, "no condition"),
        ({"dirichlet": {"top": lambda x, t: 0.0}}, "unknown boundary part"),
        ({"source": lambda x, t: x}, "source must return a scalar"),
        ({"t_span": (1.0, 0.0)}, "t0 < t1"),
    ],
)
def test_bad_input(kwargs, match):
    args = dict(
        domain=geo.Interval(0, 1),
        t_span=(0, 1),
        diffusivity=0.1,
        velocity=1.0,
        source=lambda x, t: 0.0 * x[0],
        initial=lambda x: x[0],
        dirichlet=lambda x, t: 0.0 * x[0],
    )
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        pds.AdvectionDiffusion(**args)


def test_bad_manufactured_bc_and_domain():
    with pytest.raises(ValueError, match="bc must be"):
        pds.AdvectionDiffusion.manufactured(geo.Interval(0, 1), (0, 1), 0.1, 1.0, exact_1d,
                                            bc="robin")
    with pytest.raises(TypeError, match="Domain"):
        pds.AdvectionDiffusion.manufactured((0, 1), (0, 1), 0.1, 1.0, exact_1d)


def _ansatz_values(problem, x, t, key):
    """u = G + D·N with a random float64 network, at (x, t)."""
    net = FourierSubnets(problem.dim + 1, widths=(4, 6), scales=(1, 3))
    g, d = hard_constraint(problem)
    model = Model(problem, net, True, g, d, jnp.float64)
    return np.asarray(model(net.init(key, jnp.float64), x, t))


CASES = [
    (geo.Interval(0, 2), exact_1d, "dirichlet"),
    (geo.Interval(0, 1), exact_1d, {"left": "dirichlet", "right": "neumann"}),
    (geo.Rectangle((0, 0), (4, 4)), exact_2d, "dirichlet"),
    (geo.Rectangle((0, 0), (4, 4)), exact_2d, {"left": "dirichlet", "top": "dirichlet",
                                               "right": "neumann", "bottom": "neumann"}),
    (geo.Box((0, 0, 0), (1, 2, 1)), lambda x, t: jnp.exp(-t) * jnp.sin(x[0] + 2 * x[1] - x[2]),
     "dirichlet"),
    (geo.Disk((0.5, 0.5), 1.0), exact_2d, "dirichlet"),
]


@pytest.mark.parametrize("domain, exact, bc", CASES)
def test_hard_ansatz_matches_initial_and_dirichlet_data(domain, exact, bc, key):
    problem = pds.AdvectionDiffusion.manufactured(domain, (0.0, 2.0), 0.1, np.ones(domain.dim),
                                                  exact, bc=bc)
    k1, k2, k3, k4 = jax.random.split(key, 4)
    x0 = domain.sample_interior(200, key=k1)
    u0 = _ansatz_values(problem, x0, np.zeros(200), k4)
    ref0 = np.asarray(jax.vmap(exact)(jnp.asarray(x0), jnp.zeros(200)))
    assert np.max(np.abs(u0 - ref0)) < 1e-12
    xb, _ = domain.sample_boundary(400, key=k2)
    tb = np.asarray(jax.random.uniform(k3, (400,), minval=0.0, maxval=2.0))
    if isinstance(domain, geo.Box):
        names = problem.parts
        face = np.array([_face_of(domain, p) for p in xb])
        on = np.array([problem.condition(names[f])[0] == "dirichlet" for f in face])
    else:
        on = np.ones(400, bool)
    ub = _ansatz_values(problem, xb[on], tb[on], k4)
    refb = np.asarray(jax.vmap(exact)(jnp.asarray(xb[on]), jnp.asarray(tb[on])))
    assert np.max(np.abs(ub - refb)) < 1e-12
    # inside, the ansatz differs from the data (the network matters there)
    ui = _ansatz_values(problem, x0, np.full(200, 1.0), k4)
    refi = np.asarray(jax.vmap(exact)(jnp.asarray(x0), jnp.ones(200)))
    assert np.max(np.abs(ui - refi)) > 1e-3


@pytest.mark.slow  # 10-20 s; kept out of the default suite's 10-minute budget
def test_box_ansatz_with_a_different_function_on_every_face(key):
    """Coons blend of data that differ by face (each function its own group of terms)."""
    box = geo.Box((0, 0, 0), (1, 2, 1))
    exact = lambda x, t: jnp.exp(-t) * jnp.sin(x[0] + 2 * x[1] - x[2])
    s = lambda x: (x - box.lo) / (box.hi - box.lo)

    def face_data(face):  # exact + a bubble of face `face` (zero on its edges and at t = 0)
        k = face // 2
        bubble = lambda x: jnp.prod(jnp.delete(s(x) * (1 - s(x)), k))
        return lambda x, t: exact(x, t) + (face + 1) * t * bubble(x)

    names = [n for n, _ in geo.boundary_parts(box)]
    problem = pds.AdvectionDiffusion(box, (0.0, 1.0), 0.1, (1.0, 0.0, 0.0),
                                     lambda x, t: jnp.zeros(()), lambda x: exact(x, 0.0),
                                     dirichlet={n: face_data(i) for i, n in enumerate(names)})
    g, _ = hard_constraint(problem)
    k1, k2, k3 = jax.random.split(key, 3)
    xb, _ = box.sample_boundary(300, key=k1)
    tb = np.asarray(jax.random.uniform(k2, (300,), minval=0.1))
    face = [_face_of(box, p) for p in xb]
    expected = [face_data(f)(jnp.asarray(p), t) for f, p, t in zip(face, xb, tb, strict=True)]
    gb = jax.vmap(g)(jnp.asarray(xb), jnp.asarray(tb))
    assert np.max(np.abs(gb - np.array(expected))) < 1e-12
    assert np.max(np.abs(gb - jax.vmap(exact)(jnp.asarray(xb), jnp.asarray(tb)))) > 1e-2
    x0 = box.sample_interior(100, key=k3)
    g0 = jax.vmap(g)(jnp.asarray(x0), jnp.zeros(100))
    assert np.max(np.abs(g0 - jax.vmap(exact)(jnp.asarray(x0), jnp.zeros(100)))) < 1e-12


def _face_of(box, p):
    gaps = np.concatenate([[p[k] - box.lo[k], box.hi[k] - p[k]] for k in range(box.dim)])
    return int(np.argmin(np.abs(gaps)))


def test_distance_vanishes_on_hole_boundaries(key):
    domain = geo.Rectangle((0, 0), (4, 4)) - geo.Disk((2, 2), 0.5)
    problem = pds.AdvectionDiffusion.manufactured(domain, (0.0, 1.0), 1.0, (4.0, 4.0), exact_2d)
    g, d = hard_constraint(problem)
    angles = np.linspace(0, 2 * np.pi, 50)
    hole = np.stack([2 + 0.5 * np.cos(angles), 2 + 0.5 * np.sin(angles)], 1)
    t = jnp.full(50, 0.7)
    assert np.max(np.abs(jax.vmap(d)(jnp.asarray(hole), t))) < 1e-12
    ref = jax.vmap(exact_2d)(jnp.asarray(hole), t)
    assert np.max(np.abs(jax.vmap(g)(jnp.asarray(hole), t) - ref)) < 1e-12
    inside = domain.sample_interior(100, key=key)
    assert np.all(np.asarray(jax.vmap(d)(jnp.asarray(inside), jnp.full(100, 0.5))) > 0)
