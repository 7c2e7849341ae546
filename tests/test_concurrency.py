"""Two solves in two Python threads at once give bit-identical results to the same solves alone.

Each threaded pair starts together (a barrier) and must end within `TIME_LIMIT` seconds. Bit
identity holds because a solve's arithmetic depends only on its key and settings: XLA's CPU
kernels and single-threaded LAPACK split their work by array sizes, not by load.
"""

import gc
import subprocess
import sys
import threading
import time
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import pdesolve as pds
from pdesolve import geometry as geo

ROOT = Path(__file__).resolve().parent.parent
TIME_LIMIT = 120.0
KEYS = (jax.random.PRNGKey(1), jax.random.PRNGKey(2))


def run_together(calls, limit=TIME_LIMIT):
    """Results of `calls` (no-argument functions), each run in its own thread, all at once.

    Fails the test if any thread is still running after `limit` seconds; re-raises the first
    error a thread raised.
    """
    results, errors = [None] * len(calls), [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def work(i):
        try:
            barrier.wait(timeout=limit)
            results[i] = calls[i]()
        except BaseException as err:  # handed to the main thread below
            errors[i] = err

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(len(calls))]
    deadline = time.monotonic() + limit
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(deadline - time.monotonic(), 0.0))
    stuck = [t.name for t in threads if t.is_alive()]
    if stuck:
        pytest.fail(f"threads {stuck} still running after {limit:.0f} s (deadlock or stall)")
    for err in errors:
        if err is not None:
            raise err
    return results


@pytest.fixture(scope="module")
def biharmonic():
    exact = lambda x: jnp.sin(jnp.pi * x[0]) * jnp.sin(jnp.pi * x[1])
    return pds.Biharmonic.manufactured(geo.Rectangle((0.0, 0.0), (1.0, 1.0)), exact)


@pytest.fixture(scope="module")
def advection():
    exact = lambda x, t: jnp.exp(-0.5 * t) * jnp.sin(2 * jnp.pi * x[0])
    return pds.AdvectionDiffusion.manufactured(geo.Interval(0.0, 1.0), (0.0, 1.0), 0.1, (0.5,),
                                               exact)


@pytest.mark.parametrize("backend", ["host", "device"])
def test_celm_two_threads_match_alone(biharmonic, backend):
    points = np.asarray(geo.Rectangle((0.0, 0.0), (1.0, 1.0)).sample_interior(
        500, key=jax.random.PRNGKey(7)))

    def solve(key):
        sol = pds.celm.solve(biharmonic, key=key, hidden=80, n_interior=600, n_boundary=200,
                             backend=backend)
        return sol.info, np.asarray(sol(points))

    alone = [solve(k) for k in KEYS]
    together = run_together([lambda k=k: solve(k) for k in KEYS])
    for (info_a, pred_a), (info_t, pred_t) in zip(alone, together, strict=True):
        assert info_t["backend"] == backend
        assert info_t["residuals"] == info_a["residuals"]
        assert (info_t["rank"], info_t["condition"]) == (info_a["rank"], info_a["condition"])
        np.testing.assert_array_equal(pred_t, pred_a)
    assert not np.array_equal(alone[0][1], alone[1][1])  # the two keys give two solves


def test_sfhcpinn_two_threads_match_alone(advection):
    x = np.linspace(0.0, 1.0, 50)[:, None]
    t = np.linspace(0.0, 1.0, 50)

    def train(key):
        sol = pds.sfhcpinn.solve(advection, key=key, steps=20, n_interior=64, widths=(8,),
                                 scales=(1,), chunk=10, eval_every=20, progress=False)
        return sol.info["loss"], np.asarray(sol(x, t))

    alone = [train(k) for k in KEYS]
    together = run_together([lambda k=k: train(k) for k in KEYS])
    for (loss_a, pred_a), (loss_t, pred_t) in zip(alone, together, strict=True):
        assert len(loss_t) == 20
        assert loss_t == loss_a
        np.testing.assert_array_equal(pred_t, pred_a)
    assert alone[0][0] != alone[1][0]


@pytest.mark.slow  # about 40 s on the 2-core test machine: 5 trainings compile 5 chunk functions
def test_soak_quick_runs(tmp_path):
    out = tmp_path / "soak.md"
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "soak.py"), "--quick",
                           "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = out.read_text()
    assert "## Verdict" in text and "CELM solves" in text and "SFHCPINN trainings" in text
    assert not list(tmp_path.glob("*.tmp"))


def test_hard_constraint_built_once_per_problem(advection):
    """Repeated trainings on one problem trace the same G and D (no re-trace of the evaluation),
    and the cached pair does not keep the problem alive."""
    from pdesolve.pinn import _ansatz

    assert pds.pinn.hard_constraint(advection) is pds.pinn.hard_constraint(advection)
    exact = lambda x, t: jnp.exp(-t) * jnp.cos(x[0]) * jnp.cos(x[1])
    problem = pds.AdvectionDiffusion.manufactured(geo.Disk((0.0, 0.0), 1.0), (0.0, 1.0), 0.1,
                                                  (0.5, 0.0), exact)
    pds.pinn.hard_constraint(problem)
    count = len(_ansatz._HARD_CONSTRAINTS)
    del problem
    gc.collect()
    assert len(_ansatz._HARD_CONSTRAINTS) == count - 1
