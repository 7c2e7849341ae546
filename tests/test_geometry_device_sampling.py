"""`Domain.sampler` / `Domain.boundary_sampler`: exact on boxes, fixed pools elsewhere."""

import jax
import numpy as np
import pytest

from pdesolve import geometry as geo
from pdesolve import training
from pdesolve.geometry._pools import interior_pool

BOX = geo.Rectangle((0.0, -1.0), (2.0, 1.0))
DISK = geo.Disk((0.0, 0.0), 1.0)
PLATE = geo.Rectangle((0, 0), (1, 1)) - geo.Disk((0.5, 0.5), 0.2)


@pytest.mark.parametrize("method", ["random", "lhs", "sobol"])
def test_box_sampler_is_exact_and_matches_box_points(method, key):
    assert BOX.exact_device_sampling and not DISK.exact_device_sampling
    pts = np.asarray(jax.jit(BOX.sampler(64, method))(key))
    assert pts.shape == (64, 2) and np.all(BOX.contains(pts))
    same = training.box_points(key, 64, BOX.lo, BOX.hi, method)
    np.testing.assert_array_equal(pts, np.asarray(same))


def test_box_boundary_sampler_follows_the_face_counts(key):
    counts = BOX.boundary_counts(30, parts=[0, 3])
    assert counts == (15, 0, 0, 15)  # the two faces have equal length
    pts, nrm = map(np.asarray, jax.jit(BOX.boundary_sampler(30, "lhs", parts=[3, 0]))(key))
    assert pts.shape == nrm.shape == (30, 2)
    np.testing.assert_allclose(pts[: counts[0], 0], 0.0)
    np.testing.assert_allclose(nrm[: counts[0]], [[-1.0, 0.0]] * counts[0])
    np.testing.assert_allclose(pts[counts[0]:, 1], 1.0)
    np.testing.assert_allclose(nrm[counts[0]:], [[0.0, 1.0]] * counts[3])


def test_pooled_samplers_pick_fixed_pool_rows(key):
    sample = jax.jit(DISK.sampler(100))
    a, b = np.asarray(sample(key)), np.asarray(sample(jax.random.fold_in(key, 1)))
    assert a.shape == (100, 2) and np.all(DISK.contains(a)) and not np.array_equal(a, b)
    pool = interior_pool(DISK, 20000)
    nearest = np.min(np.abs(pool[None] - a[:, None]).max(axis=-1), axis=1)
    np.testing.assert_allclose(nearest, 0.0, atol=1e-6)  # rows of the pool (in float32)
    np.testing.assert_array_equal(np.asarray(DISK.sampler(100)(key)), a)  # same pool again


def test_pooled_boundary_sampler_splits_by_part(key):
    counts = PLATE.boundary_counts(50)
    assert sum(counts) == 50 and counts[0] > counts[1] > 0  # the square's edge is longer
    pts, nrm = map(np.asarray, PLATE.boundary_sampler(50)(key))
    which = PLATE.classify_boundary(pts)
    np.testing.assert_array_equal(which, np.repeat([0, 1], counts))
    np.testing.assert_allclose(np.linalg.norm(nrm, axis=1), 1.0, rtol=1e-5)


def test_capabilities_of_the_shapes():
    assert BOX.part_aliases()["top"] == 3 and DISK.part_aliases() == {}
    assert [name for name, _ in PLATE.boundary_parts()] == ["outer", "hole1"]
    assert DISK.boundary_blend([("dirichlet", None)]) is None
    blend, factor = BOX.boundary_blend([("dirichlet", lambda x, t: x[0])] * 4)
    x = np.array([2.0, 0.3])
    assert float(blend(x, 0.0)) == pytest.approx(2.0) and float(factor(x)) == pytest.approx(0)
    grad = jax.grad(DISK.distance_field)(np.array([1.0, 0.0]))
    np.testing.assert_allclose(grad, [-1.0, 0.0], atol=1e-6)


@pytest.mark.parametrize("call, match", [
    (lambda: DISK.sampler(0), "positive"),
    (lambda: DISK.sampler(10, "grid"), "sampling must be one of"),
    (lambda: BOX.boundary_sampler(10, parts=[4]), "parts must be"),
    (lambda: BOX.boundary_counts(10, parts=[]), "parts must be"),
])
def test_bad_sampler_arguments(call, match):
    with pytest.raises(ValueError, match=match):
        call()
