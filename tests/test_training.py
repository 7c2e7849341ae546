"""The training loop: compile once, exact resume, NaN stop, checkpoints, schedules, samplers."""

import io
import os

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from training_problem import regression as _regression

from pdesolve import training
from pdesolve.training import TrainingDiverged, train


def test_compiles_once_and_converges(key):
    sample, loss, params = _regression()
    evaluate = lambda p: float(jnp.linalg.norm(p["w"] - jnp.array([3.0, -1.0])))
    out, info = train(loss, params, key=key, steps=250, sample=sample, chunk=100,
                      optimizer=optax.adam(0.05), evaluate=evaluate, eval_every=100,
                      progress=False)
    assert info["compilations"] == 1
    assert len(info["loss"]) == 250
    assert info["error_steps"] == [0, 100, 200, 250]
    assert info["error"][-1] < 1e-2 * info["error"][0]
    # the loss terms reported are those of the last step
    assert info["terms"]["mse"] == pytest.approx(info["loss"][-1], rel=1e-6)


def test_resume_reproduces_uninterrupted_run(tmp_path, key):
    sample, loss, params = _regression()
    full, info_full = train(loss, params, key=key, steps=300, sample=sample, chunk=50,
                            progress=False)
    ckpt = tmp_path / "state.ckpt"
    train(loss, params, key=key, steps=150, sample=sample, chunk=50, checkpoint=ckpt,
          progress=False)
    resumed, info = train(loss, params, key=key, steps=300, sample=sample, chunk=50,
                          resume=ckpt, progress=False)
    np.testing.assert_array_equal(np.asarray(full["w"]), np.asarray(resumed["w"]))
    np.testing.assert_array_equal(info["loss"], info_full["loss"])
    with pytest.raises(ValueError, match="another key"):
        train(loss, params, key=jax.random.PRNGKey(9), steps=300, sample=sample, chunk=50,
              resume=ckpt, progress=False)


def test_nan_loss_stops_and_keeps_last_good_checkpoint(tmp_path, key):
    sample, loss, params = _regression()

    def bad_loss(p, batch, step):
        value, aux = loss(p, batch, step)
        return jnp.where(step >= 130, jnp.nan, value), aux

    ckpt = tmp_path / "run.ckpt"
    with pytest.raises(TrainingDiverged, match=r"nan at step 130.*run.ckpt \(step 100\)") as err:
        train(bad_loss, params, key=key, steps=300, sample=sample, chunk=50,
              checkpoint=ckpt, checkpoint_every=50, progress=False)
    assert err.value.step == 100 and np.all(np.isfinite(err.value.params["w"]))
    assert training.load_checkpoint(ckpt).step == 100
    # the last two checkpoints are kept; atomic writes leave no temporary files
    assert sorted(os.listdir(tmp_path)) == ["run.ckpt", "run.ckpt.1"]


def test_any_optax_optimizer_and_lbfgs_finish(key):
    sample, loss, params = _regression()
    _, info = train(loss, params, key=key, steps=20, sample=sample, chunk=10,
                    optimizer=optax.sgd(0.1), lbfgs_steps=20, progress=False)
    assert info["lbfgs_loss"][-1] < 1e-8 < info["loss"][0]


@pytest.mark.parametrize("kwargs, err", [({"steps": 0}, ValueError), ({"steps": 2.5}, TypeError),
                                         ({"chunk": -1}, ValueError)])
def test_bad_arguments(kwargs, err, key):
    sample, loss, params = _regression()
    args = {"steps": 10, **kwargs}
    with pytest.raises(err, match=next(iter(kwargs))):
        train(loss, params, key=key, sample=sample, progress=False, **args)


def test_schedules():
    lr = training.reference_schedule()
    assert np.isclose(lr(0), 0.01) and np.isclose(lr(99), 0.01)
    assert np.isclose(lr(250), 0.01 * 0.975**2)
    w = training.staged_weight(1000)
    assert [float(w(s)) for s in (0, 99, 100, 200, 250, 500, 999)] == [
        20, 20, 200, 1000, 2000, 4000, 10000]
    assert float(training.as_weight(5, 10)(3)) == 5.0
    with pytest.raises(ValueError, match="penalty weight"):
        training.as_weight("heavy", 10)


@pytest.mark.parametrize("method", ["random", "lhs", "sobol"])
def test_device_samplers(method, key):
    pts = np.asarray(training.box_points(key, 64, (0.0, -1.0), (2.0, 1.0), method))
    assert pts.shape == (64, 2) and pts.dtype == np.float32
    assert np.all(pts[:, 0] >= 0) and np.all(pts[:, 0] <= 2) and np.all(np.abs(pts[:, 1]) <= 1)
    if method == "lhs":  # one point in each of the 64 slabs of every axis
        for axis, (lo, hi) in enumerate(((0, 2), (-1, 1))):
            slabs = np.floor((pts[:, axis] - lo) / (hi - lo) * 64).astype(int)
            assert sorted(slabs) == list(range(64))
    other = np.asarray(training.box_points(jax.random.PRNGKey(5), 64, (0.0, -1.0), (2.0, 1.0),
                                           method))
    assert not np.allclose(pts, other)


def test_progress_line():
    stream = io.StringIO()
    bar = training.Progress(100, stream=stream)
    bar.update(50, 0.5, error=1e-3)
    bar.close()
    text = stream.getvalue()
    assert text.startswith("\r[") and "50/100" in text and "err 1.00e-03" in text
