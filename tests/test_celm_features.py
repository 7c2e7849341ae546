"""Closed-form ridge-feature derivatives vs autodiff, row scaling, and the streamed QR."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.linalg

from pdesolve import operators
from pdesolve.elm import ACTIVATIONS, RowGroup, apply_operator, init_network
from pdesolve.elm._assembly import iter_blocks
from pdesolve.elm._lstsq import dense_matrix, least_squares, streamed_r
from pdesolve.elm._sketch import sketch_rows
from pdesolve.fastmath import sin_quarter


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_closed_form_derivatives_match_autodiff(activation, key):
    net = init_network(key, 2, 6, activation=activation, scale=2.0, init="uniform",
                       center=np.zeros(2), radius=1.0)
    w, b = jnp.asarray(net.weights), jnp.asarray(net.biases)
    x = jnp.asarray(np.random.default_rng(0).uniform(-1, 1, (7, 2)))
    normals = jnp.asarray(np.random.default_rng(1).normal(size=(7, 2)))
    cols = jnp.arange(net.width)

    def phi(y, j):
        return apply_operator(w, b, net.activation, "value", y[None])[0, j]

    def table(fn):  # (point, feature) -> value over all points and features, jitted once
        return jax.jit(jax.vmap(jax.vmap(fn, (None, 0)), (0, None)))

    ref = {
        "laplacian": table(lambda y, j: operators.laplacian(lambda z: phi(z, j))(y))(x, cols),
        "bilaplacian": table(lambda y, j: operators.biharmonic(lambda z: phi(z, j))(y))(x, cols),
        "normal": jax.jit(jax.vmap(jax.vmap(
            lambda y, n, j: operators.normal_derivative(lambda z: phi(z, j))(y, n),
            (None, None, 0)), (0, 0, None)))(x, normals, cols),
    }
    for op, want in ref.items():
        got = apply_operator(w, b, net.activation, op, x, normals)
        np.testing.assert_allclose(got, want, rtol=1e-10,
                                   atol=1e-10 * float(jnp.max(jnp.abs(want))),
                                   err_msg=f"{activation} {op}")


def test_fourier_doubles_width_with_cosines(key):
    net = init_network(key, 2, 5, activation="fourier", scale=3.0, init="normal",
                       center=np.zeros(2), radius=1.0)
    x = jnp.asarray(np.random.default_rng(0).uniform(-1, 1, (4, 2)))
    values = apply_operator(jnp.asarray(net.weights), jnp.asarray(net.biases), "fourier",
                            "value", x)
    z = x @ net.weights[:5].T + net.biases[:5]
    np.testing.assert_allclose(values, jnp.concatenate([jnp.sin(z), jnp.cos(z)], 1), atol=1e-14)


def test_reference_box_mapping(key):
    # features drawn for x̂ = (x − c)/r equal features in x with mapped weights
    c, r = np.array([2.0, -1.0]), 3.0
    net = init_network(key, 2, 4, activation="sin", scale=2.0, init="uniform", center=c,
                       radius=r)
    ref = init_network(key, 2, 4, activation="sin", scale=2.0, init="uniform",
                       center=np.zeros(2), radius=1.0)
    x = np.array([[2.5, 0.0], [0.0, -3.0]])
    np.testing.assert_allclose(x @ net.weights.T + net.biases,
                               ((x - c) / r) @ ref.weights.T + ref.biases, atol=1e-13)


def test_zero_rows_are_not_divided_by_zero(key):
    net = init_network(key, 2, 8, activation="sin", scale=2.0, init="uniform",
                       center=np.zeros(2), radius=1.0)
    pts = np.array([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]])
    group = RowGroup("normal rows", pts, np.zeros_like(pts), np.ones(3), (("normal", 1.0),))
    for scaling in ("maxabs", "l2", "none"):
        blocks = list(iter_blocks([net], [group], block_rows=64, row_scaling=scaling))
        block = blocks[0][2]
        assert np.all(np.isfinite(block)) and np.all(block[:, :-1] == 0)


def test_streamed_structured_qr_matches_lapack():
    rng = np.random.default_rng(0)
    widths = [5, 7]
    blocks = [((0, 1), rng.normal(size=(9, 13))), ((1,), rng.normal(size=(6, 8))),
              ((0,), rng.normal(size=(4, 6))), ((0, 1), rng.normal(size=(3, 13)))]
    full = dense_matrix(((s, b.copy()) for s, b in blocks), widths)
    r = streamed_r(((s, np.asfortranarray(b)) for s, b in blocks), widths)
    r_ref = scipy.linalg.qr(full, mode="r")[0][:13]
    np.testing.assert_allclose(np.abs(r), np.abs(r_ref), atol=1e-12)
    x, stats = least_squares(((s, np.asfortranarray(b)) for s, b in blocks), widths,
                             solver="qr", finish="svd", rcond=1e-14)
    x_ref = np.linalg.lstsq(full[:, :12], full[:, 12], rcond=None)[0]
    np.testing.assert_allclose(x, x_ref, atol=1e-12)
    assert stats["rank"] == 12


@pytest.mark.parametrize("solver, finish", [("qr", "pivoted"), ("gelsd", "svd"),
                                            ("gelsy", "svd")])
def test_rank_deficient_least_squares(solver, finish):
    # two equal columns: every route must still reach the minimal residual
    rng = np.random.default_rng(1)
    a = rng.normal(size=(30, 6))
    a[:, 5] = a[:, 4]
    b = rng.normal(size=30)
    block = np.asfortranarray(np.column_stack([a, b]))
    x, stats = least_squares([((0,), block)], [6], solver=solver, finish=finish, rcond=1e-12)
    best = np.linalg.lstsq(a, b, rcond=None)[0]
    assert stats["rank"] == 5
    np.testing.assert_allclose(np.linalg.norm(a @ x - b), np.linalg.norm(a @ best - b),
                               rtol=1e-10)


def test_sine_kernel_matches_numpy_to_an_ulp():
    rng = np.random.default_rng(3)
    z = np.concatenate([rng.uniform(-1e3, 1e3, 20000), rng.uniform(-4, 4, 20000),
                        np.arange(-40, 41) * np.pi / 4, [0.0, 1e5, -1e5]])
    for q, ref in enumerate([np.sin(z), np.cos(z), -np.sin(z), -np.cos(z), np.sin(z)]):
        np.testing.assert_allclose(np.asarray(sin_quarter(jnp.asarray(z), q)), ref, rtol=0,
                                   atol=3e-16)
    tangent = jax.jvp(lambda u: sin_quarter(u, 0), (jnp.asarray(z),), (jnp.ones_like(z),))[1]
    np.testing.assert_allclose(np.asarray(tangent), np.cos(z), rtol=0, atol=3e-16)


def test_sketch_keeps_the_residual_and_leaves_short_supports_alone():
    rng = np.random.default_rng(4)
    a = rng.normal(size=(3000, 20)) * np.logspace(0, -8, 20)
    b = a @ rng.normal(size=20) + 1e-6 * rng.normal(size=3000)
    short = rng.normal(size=(10, 11))
    blocks = [((0,), np.asfortranarray(np.column_stack([a, b])[i:i + 1000]))
              for i in range(0, 3000, 1000)] + [((1,), np.asfortranarray(short))]
    out, rows, _ = sketch_rows(((s, blk.copy(order="F")) for s, blk in blocks), factor=2.0,
                               nonzeros=4, rng=np.random.default_rng(0))
    assert rows == 44 + 10
    np.testing.assert_array_equal([blk for s, blk in out if s == (1,)][0], short)
    x, stats = least_squares(((s, blk.copy(order="F")) for s, blk in blocks[:3]), [20],
                             solver="sketch", finish="pivoted", rcond=1e-14,
                             rng=np.random.default_rng(0))
    best = np.linalg.lstsq(a, b, rcond=None)[0]
    ratio = np.linalg.norm(a @ x - b) / np.linalg.norm(a @ best - b)
    assert 1 <= ratio < 2, ratio
    assert stats["sketched_rows"] == 44
    with pytest.raises(ValueError, match="rng"):
        least_squares(iter(blocks[:1]), [20], solver="sketch", finish="svd", rcond=1e-14)
