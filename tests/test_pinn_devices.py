"""Data-parallel PINN training on forced host devices and on two local processes.

Every multi-device run happens in a fresh interpreter with a hard time limit (`multidevice`).
The runs train a small SFHCPINN on an E1-like problem (1D + t, Dirichlet, 250 interior points:
uneven over 4 devices) for 200 float32 steps. Sharding changes only the order of the sums in
the loss and gradient, so a sharded run equals the one-device run to float32 round-off; a
resumed run repeats the uninterrupted run of the same layout bit for bit.
"""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from multidevice import run_devices, run_processes

import pdesolve as pds
from pdesolve import geometry as geo
from pdesolve.pinn import _solve

SETUP = """
import hashlib
import logging
import jax.numpy as jnp
import numpy as np
import pdesolve as pds
from pdesolve import geometry as geo
from pdesolve.parallel import device_mesh
from pdesolve.pinn._collocation import make_sampler
from pdesolve.training._chunk import points_splitter

def digest(tree):
    h = hashlib.sha256()
    for leaf in jax.tree_util.tree_leaves(tree):
        h.update(np.ascontiguousarray(np.asarray(leaf)).tobytes())
    return h.hexdigest()

exact = lambda x, t: jnp.exp(-0.25 * t) * jnp.sin(2 * jnp.pi * x[0])
E1 = pds.AdvectionDiffusion.manufactured(geo.Interval(0, 2), (0, 5), 0.002, 0.001, exact)
OPTIONS = dict(key=jax.random.PRNGKey(0), n_interior=250, widths=(8, 16, 8), scales=(1, 2, 4, 8),
               chunk=50, eval_every=100, progress=False)

def run(steps, **options):
    sol = pds.sfhcpinn.solve(E1, steps=steps, **OPTIONS, **options)
    return {"loss": [float(v) for v in sol.info["loss"]], "relative_l2": sol.info["relative_l2"],
            "params": digest(sol.params), "devices": sol.info["devices"],
            "compilations": sol.info["compilations"]}

def batches():
    # every kind of batch array (interior, boundary, normals, initial slice), uneven on 4 devices
    mixed = pds.AdvectionDiffusion.manufactured(geo.Interval(0, 2), (0, 5), 0.002, 0.001, exact,
                                                bc={"left": "dirichlet", "right": "neumann"})
    split = points_splitter(device_mesh())
    out = {}
    for method in ("random", "lhs", "sobol"):
        sample, _ = make_sampler(mixed, n_interior=250, n_boundary=30, n_initial=30, soft=True,
                                 method=method, dtype=jnp.float32)
        batch = jax.jit(lambda k: split(sample(k)))(jax.random.PRNGKey(2))
        out[method] = {"digest": digest(batch), "keys": sorted(batch),
                       "devices": min(len(a.sharding.device_set) for a in batch.values())}
    return out
"""

ONE_DEVICE = SETUP + """
report(batches=batches(), run=run(200))
"""

FOUR_DEVICES = SETUP + """
compiles = []
class Count(logging.Handler):
    def emit(self, record):
        compiles.append("Finished XLA compilation of jit(run_chunk)" in record.getMessage())
logging.getLogger("jax").addHandler(Count())
jax.config.update("jax_log_compiles", True)
full = run(200)
jax.config.update("jax_log_compiles", False)
run(100, checkpoint=CHECKPOINT)
report(batches=batches(), run=full, chunk_compiles=sum(compiles),
       resumed=run(200, resume=CHECKPOINT))
"""

TWO_PROCESSES = SETUP + """
from pdesolve.training import _checkpoint
writes = []
write = _checkpoint._write
_checkpoint._write = lambda *args: (writes.append(args[0]), write(*args))
run(100, checkpoint=CHECKPOINT)
report(process=jax.process_index(), writes=len(writes), run=run(200, resume=CHECKPOINT))
"""


def compile_cache(folder) -> dict:
    """Environment for a persistent compilation cache in `folder`: a run's second and third
    solves compile the same chunk program, and load it instead (about 3 s each saved)."""
    return {"JAX_COMPILATION_CACHE_DIR": str(folder),
            "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0",
            "JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES": "0"}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The one-device and four-device runs, side by side (each compiles on its own core)."""
    folder = tmp_path_factory.mktemp("runs")
    four = FOUR_DEVICES.replace("CHECKPOINT", repr(str(folder / "run.ckpt")))
    with ThreadPoolExecutor(2) as pool:
        one = pool.submit(run_devices, ONE_DEVICE, 1, timeout=150)
        four = pool.submit(run_devices, four, 4, timeout=200, env=compile_cache(folder / "cache"))
        return one.result(), four.result()


@pytest.fixture(scope="module")
def one_device(runs):
    return runs[0]


@pytest.fixture(scope="module")
def four_devices(runs):
    return runs[1]


def assert_round_off_equal(sharded, single):
    """Equal up to the float32 round-off of sums split over devices, as amplified by training.

    Step 0 (same parameters, bit-identical batch) differs only by the order of a 250-term
    float32 mean: rtol 1e-6. Adam's normalised steps let those ~1e-7 differences grow along
    the run: at most 4.3e-5 (4 devices) and 7.1e-5 (2 processes) over the 200 steps on the
    2-core x86 VM, asserted with rtol 2e-4; the final relative L2 error within 1e-3 of itself
    (measured 1.2e-5 and 1.4e-5).
    """
    loss, ref = np.array(sharded["loss"]), np.array(single["loss"])
    assert loss.shape == ref.shape == (200,)
    np.testing.assert_allclose(loss[0], ref[0], rtol=1e-6)
    np.testing.assert_allclose(loss, ref, rtol=2e-4)
    assert sharded["relative_l2"] == pytest.approx(single["relative_l2"], rel=1e-3)


def test_batch_is_identical_on_one_and_four_devices(one_device, four_devices):
    for method in ("random", "lhs", "sobol"):
        one, four = one_device["batches"][method], four_devices["batches"][method]
        assert four["keys"] == one["keys"] == ["bn", "bt", "bx", "ix", "t", "x"]
        assert (one["devices"], four["devices"]) == (1, 4)  # really split over the 4 devices
        assert four["digest"] == one["digest"], method  # bit-identical points


def test_four_devices_train_like_one(one_device, four_devices):
    single, sharded = one_device["run"], four_devices["run"]
    assert (single["devices"], sharded["devices"]) == (1, 4)
    assert sharded["compilations"] == 1
    assert four_devices["chunk_compiles"] == 1  # no recompilation across the 4 chunks
    assert_round_off_equal(sharded, single)
    assert single["relative_l2"] < 0.1  # it trained


def test_resumed_sharded_run_repeats_uninterrupted_run(four_devices):
    full, resumed = four_devices["run"], four_devices["resumed"]
    assert resumed["devices"] == 4
    assert resumed["loss"] == full["loss"]
    assert resumed["params"] == full["params"]
    assert resumed["relative_l2"] == full["relative_l2"]


def test_two_processes_train_like_one(one_device, tmp_path):
    code = TWO_PROCESSES.replace("CHECKPOINT", repr(str(tmp_path / "run.ckpt")))
    first, second = run_processes(code, 2, timeout=200, env=compile_cache(tmp_path / "cache"))
    assert (first["process"], second["process"]) == (0, 1)
    assert (first["writes"], second["writes"]) == (1, 0)  # process 0 writes, both resume
    assert first["run"] == second["run"]
    assert first["run"]["devices"] == 2
    assert_round_off_equal(first["run"], one_device["run"])


@pytest.mark.parametrize("devices, err, match", [
    (0, ValueError, "devices must be a positive int, got 0"),
    (99, ValueError, "devices=99 but JAX sees"),
    ("gpu", TypeError, "devices must be None .* got 'gpu'"),
])
@pytest.mark.parametrize("solve", [pds.sfhcpinn.solve, pds.pinn.solve])
def test_bad_devices_fail_before_training(solve, devices, err, match, monkeypatch, key):
    def no_work(*args, **kwargs):
        raise AssertionError("work started before devices= was checked")

    monkeypatch.setattr(_solve, "make_sampler", no_work)
    monkeypatch.setattr(_solve, "train", no_work)
    problem = pds.AdvectionDiffusion.manufactured(geo.Interval(0, 1), (0, 1), 0.02, 0.01,
                                                  lambda x, t: x[0] * (1 - x[0]) * t)
    with pytest.raises(err, match=match):
        solve(problem, key=key, steps=10, devices=devices)
