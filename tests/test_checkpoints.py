"""Checkpoints: a safe format, atomic writes, rotation, fallback, fingerprints, Ctrl-C, NaN guard.

Counted for the record: every corruption below (empty, truncated at several lengths, a flipped
bit anywhere in the file, a pickle, another kind of file) must be detected by name.
"""

import os
import pickle
import subprocess
import sys
import zipfile

import jax
import jax.numpy as jnp
import meshio
import numpy as np
import optax
import pytest
from training_problem import regression

from pdesolve import io, training
from pdesolve.training import TrainingDiverged, TrainingInterrupted, train


def _train(steps, *, key, **options):
    sample, loss, params = regression()
    options.setdefault("optimizer", optax.adam(0.05))
    return train(loss, params, key=key, steps=steps, sample=sample, chunk=25, progress=False,
                 **options)


def test_format_is_an_npz_archive_without_pickles(tmp_path, key):
    ckpt = tmp_path / "run.ckpt"
    _train(50, key=key, checkpoint=ckpt)
    with np.load(ckpt, allow_pickle=False) as data:  # plain numpy can read the arrays
        assert "leaf00000" in data.files
    back = training.load_checkpoint(ckpt)
    assert back.step == 50 and back.metadata["key"] == np.asarray(key).tolist()
    assert set(back.tree) == {"['opt_state'][0].count", "['opt_state'][0].mu['w']",
                              "['opt_state'][0].nu['w']", "['params']['w']"}
    history = back.metadata["history"]
    assert isinstance(history["loss"], list) and all(type(v) is float for v in history["loss"])


def test_resumed_history_is_plain_json_data(tmp_path, key):
    ckpt = tmp_path / "run.ckpt"
    evaluate = lambda p: float(jnp.sum(p["w"]))
    _train(50, key=key, checkpoint=ckpt, evaluate=evaluate, eval_every=25)
    _, info = _train(100, key=key, resume=ckpt, evaluate=evaluate, eval_every=25)
    for name in ("loss", "error", "error_steps"):
        assert type(info[name]) is list
    assert all(type(v) is float for v in info["loss"] + info["error"])
    assert all(type(s) is int for s in info["error_steps"])
    assert info["error_steps"] == [0, 25, 50, 75, 100]


def test_keeps_the_last_k_and_falls_back_to_the_newest_good_one(tmp_path, key):
    ckpt = tmp_path / "run.ckpt"
    full, info_full = _train(150, key=key)
    _train(100, key=key, checkpoint=ckpt, checkpoint_every=25, keep_checkpoints=3)
    names = sorted(os.listdir(tmp_path))
    assert names == ["run.ckpt", "run.ckpt.1", "run.ckpt.2"]
    steps = [training.load_checkpoint(p).step for p in training.checkpoint_paths(ckpt, 3)]
    assert steps == [100, 75, 50]
    ckpt.write_bytes(ckpt.read_bytes()[:200])  # the newest one truncated
    with pytest.warns(RuntimeWarning, match=r"resuming from .*run.ckpt.1 \(step 75\).*truncated"):
        resumed, info = _train(150, key=key, resume=ckpt)
    np.testing.assert_array_equal(np.asarray(resumed["w"]), np.asarray(full["w"]))
    assert info["loss"] == info_full["loss"]


def test_every_corruption_is_detected_by_name(tmp_path, key):
    ckpt = tmp_path / "good.ckpt"
    _train(25, key=key, checkpoint=ckpt)
    data = ckpt.read_bytes()
    bad = tmp_path / "bad.ckpt"
    cases = {"empty": b"", "garbage": b"hello world"}
    cases.update({f"truncated to {n}": data[:n] for n in (1, 30, len(data) // 2, len(data) - 1)})
    rng = np.random.default_rng(0)
    for position in rng.choice(len(data), size=40, replace=False):
        flipped = bytearray(data)
        flipped[position] ^= 1 << int(rng.integers(8))
        cases[f"bit flipped at byte {position}"] = bytes(flipped)
    detected = 0
    for what, content in cases.items():
        bad.write_bytes(content)
        try:
            training.load_checkpoint(bad)
        except io.FileFormatError as exc:
            assert "bad.ckpt" in str(exc), what
            detected += 1
        except FileNotFoundError:
            raise AssertionError(what) from None
        else:
            # a flip in bytes zip ignores (e.g. a timestamp) changes nothing that is loaded
            assert what.startswith("bit flipped"), what
            np.testing.assert_array_equal(
                training.load_checkpoint(bad).tree["['params']['w']"],
                training.load_checkpoint(ckpt).tree["['params']['w']"])
    print(f"corrupted checkpoints: {len(cases)} tried, {detected} detected, "
          f"{len(cases) - detected} harmless (bytes zip does not read)")
    assert detected >= len(cases) - 8


def test_a_pickle_is_refused_and_never_unpickled(tmp_path):
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    evil = tmp_path / "evil.ckpt"
    evil.write_bytes(pickle.dumps(Payload()))
    with pytest.raises(io.FileFormatError, match="evil.ckpt: the file is a Python pickle"):
        training.load_checkpoint(evil)
    with pytest.raises(io.FileFormatError, match="pickle"):
        _train(10, key=jax.random.PRNGKey(0), resume=evil)
    assert not marker.exists()


def test_a_foreign_or_missing_file_is_a_clear_error(tmp_path, key):
    np.savez(tmp_path / "arrays.npz", a=np.zeros(3))
    with pytest.raises(io.FileFormatError, match="arrays.npz: no manifest.json"):
        training.load_checkpoint(tmp_path / "arrays.npz")
    io.write_archive(tmp_path / "sol.npz", {}, {}, kind="elm-solution")
    with pytest.raises(io.FileFormatError, match="holds a 'elm-solution', not a 'checkpoint'"):
        training.load_checkpoint(tmp_path / "sol.npz")
    with pytest.raises(FileNotFoundError, match="no checkpoint at .*nothing.ckpt"):
        _train(10, key=key, resume=tmp_path / "nothing.ckpt")


@pytest.mark.parametrize("change, message", [
    ({"key": jax.random.PRNGKey(7)}, "another key"),
    ({"optimizer": optax.sgd(0.05)}, r"another model or optimiser.*\['opt_state'\]"),
    ({"optimizer": optax.adam(0.01)}, "another optimiser or learning rate"),
    ({"settings": {"n_interior": 64}}, "n_interior=None in the checkpoint, 64 now"),
])
def test_resuming_another_run_is_an_error(tmp_path, key, change, message):
    ckpt = tmp_path / "run.ckpt"
    _train(25, key=key, checkpoint=ckpt)
    options = {"key": key, **change}
    with pytest.raises(ValueError, match=message):
        _train(50, resume=ckpt, **options)


def test_resuming_with_other_parameters_or_another_loss_is_an_error(tmp_path, key):
    sample, loss, params = regression()
    ckpt = tmp_path / "run.ckpt"
    train(loss, params, key=key, steps=25, sample=sample, chunk=25, checkpoint=ckpt,
          progress=False)
    with pytest.raises(ValueError, match=r"\['params'\]\['w'\] is float64\[2\] in the file, "
                                         r"float64\[3\] here"):
        train(loss, {"w": jnp.zeros(3)}, key=key, steps=50, sample=sample, chunk=25,
              resume=ckpt, progress=False)
    with pytest.raises(ValueError, match="other initial parameters"):
        train(loss, {"w": jnp.ones(2)}, key=key, steps=50, sample=sample, chunk=25,
              resume=ckpt, progress=False)
    other = lambda p, batch, step: (2 * loss(p, batch, step)[0], {})
    with pytest.raises(ValueError, match="another loss .*step-0 loss"):
        train(other, params, key=key, steps=50, sample=sample, chunk=25, resume=ckpt,
              progress=False)


def test_orphaned_temporaries_are_removed_on_the_next_write_and_on_resume(tmp_path, key):
    ckpt = tmp_path / "run.ckpt"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    host = os.uname().nodename.replace("~", "-")
    orphan = tmp_path / f".run.ckpt~{host}~{dead}~0badf00d.part"
    live = tmp_path / f".run.ckpt~{host}~{os.getppid()}~0badf00d.part"  # a live writer's
    other_host = tmp_path / ".run.ckpt~elsewhere~1~0badf00d.part"
    for f in (orphan, live, other_host):
        f.write_bytes(b"half")
    _train(25, key=key, checkpoint=ckpt)
    assert not orphan.exists() and live.exists() and other_host.exists()
    orphan.write_bytes(b"half")
    _train(50, key=key, resume=ckpt)
    assert not orphan.exists()


def test_interrupted_writes_keep_the_previous_file(tmp_path, key, monkeypatch):
    ckpt, vtu = tmp_path / "run.ckpt", tmp_path / "mesh.vtu"
    points, cells = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), np.array([[0, 1, 2]])
    _train(25, key=key, checkpoint=ckpt)
    io.export_vtu(vtu, {"u": np.ones(3)}, points, cells)
    before = {f: f.read_bytes() for f in (ckpt, vtu)}

    def half_then_killed(target, *args, **kwargs):
        with open(target if isinstance(target, (str, os.PathLike)) else target.filename,
                  "ab") as f:
            f.write(b"half a file")
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(zipfile.ZipFile, "writestr", lambda self, *a, **k: half_then_killed(self))
        with pytest.raises(KeyboardInterrupt):
            io.write_archive(ckpt, {"a": np.zeros(2)}, {}, kind="checkpoint")
    with monkeypatch.context() as m:
        m.setattr(meshio, "write", half_then_killed)
        with pytest.raises(KeyboardInterrupt):
            io.export_vtu(vtu, {"u": np.zeros(3)}, points, cells)
    assert {f: f.read_bytes() for f in (ckpt, vtu)} == before
    assert sorted(os.listdir(tmp_path)) == ["mesh.vtu", "run.ckpt"]


def test_ctrl_c_saves_the_last_good_state_and_resume_is_exact(tmp_path, key):
    full, info_full = _train(150, key=key)
    ckpt = tmp_path / "run.ckpt"

    def interrupt_at_75(params):
        if interrupt_at_75.calls == 3:  # steps 0, 25, 50, then Ctrl-C in the step-75 one
            raise KeyboardInterrupt
        interrupt_at_75.calls += 1
        return 0.0

    interrupt_at_75.calls = 0
    # the chunk ending at step 75 did not finish (its evaluation was interrupted): the last
    # good state is step 50's, which no periodic checkpoint holds, so Ctrl-C writes it
    with pytest.raises(TrainingInterrupted, match="after step 50 of 150.*resume=") as err:
        _train(150, key=key, checkpoint=ckpt, checkpoint_every=100, evaluate=interrupt_at_75,
               eval_every=25)
    assert err.value.step == 50 and err.value.checkpoint == ckpt
    assert isinstance(err.value, KeyboardInterrupt)
    assert training.load_checkpoint(ckpt).step == 50
    resumed, info = _train(150, key=key, resume=ckpt)
    np.testing.assert_array_equal(np.asarray(resumed["w"]), np.asarray(full["w"]))
    assert info["loss"] == info_full["loss"]


def test_non_finite_parameters_after_the_last_update_raise(key):
    def nan_update_at(step):
        """Multiplies the update of `step` by NaN: the losses up to it stay finite."""

        def update(updates, count, params=None):
            scale = jnp.where(count == step, jnp.nan, 1.0)
            return jax.tree_util.tree_map(lambda u: u * scale, updates), count + 1

        return optax.GradientTransformation(lambda p: jnp.zeros((), jnp.int32), update)

    optimizer = optax.chain(optax.adam(0.05), nan_update_at(74))
    with pytest.raises(TrainingDiverged, match="parameters became NaN or inf in the update of "
                                               "step 74") as err:
        _train(100, key=key, optimizer=optimizer)
    assert err.value.step == 50 and np.all(np.isfinite(np.asarray(err.value.params["w"])))


@pytest.mark.parametrize("options, message", [
    ({"checkpoint_every": 0}, "checkpoint_every must be positive"),
    ({"keep_checkpoints": 0}, "keep_checkpoints must be an int in 1..100, got 0"),
    ({"optimizer": "adam"}, "optimizer must be an optax GradientTransformation.*'adam'"),
    ({"checkpoint": 3}, "checkpoint must be a file path.*got 3"),
    ({"resume": ""}, "resume must be a file path"),
])
def test_bad_checkpoint_options(options, message, key):
    with pytest.raises((TypeError, ValueError), match=message):
        _train(10, key=key, **options)
