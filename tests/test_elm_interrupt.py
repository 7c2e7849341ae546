"""Long ELM solves: a progress line block by block, and Ctrl-C that leaves nothing behind."""

import io
import os
import signal
import subprocess
import sys
import time
from contextlib import redirect_stderr
from pathlib import Path

import jax.numpy as jnp

import pdesolve as pds
from pdesolve import geometry as geo

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import threading, time
import jax
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp
import pdesolve as pds
from pdesolve import geometry as geo

problem = pds.Biharmonic.manufactured(geo.Rectangle((0, 0), (1, 1)),
                                      lambda x: jnp.sin(x[0]) * jnp.cos(x[1]))
try:
    pds.celm.solve(problem, key=jax.random.PRNGKey(0), hidden=800, n_interior=400_000,
                   block_rows=2048, backend="host", progress=True)
except KeyboardInterrupt:
    print(f"STOPPED threads={threading.active_count()}", flush=True)
"""


def _problem():
    return pds.Biharmonic.manufactured(geo.Rectangle((0, 0), (1, 1)),
                                       lambda x: jnp.sin(x[0]) * jnp.cos(x[1]))


def test_progress_counts_rows_block_by_block(key):
    stream = io.StringIO()
    with redirect_stderr(stream):
        sol = pds.celm.solve(_problem(), key=key, hidden=40, n_interior=900, n_boundary=200,
                             block_rows=256, backend="host", progress=True)
    lines = stream.getvalue().split("\r")
    rows = sol.info["rows"]
    assert f"] {rows}/{rows} " in lines[-1] and "rows/s" in lines[-1]
    assert len(lines) > rows // 256  # one update per block (and one at the start)
    quiet = io.StringIO()
    with redirect_stderr(quiet):
        pds.celm.solve(_problem(), key=key, hidden=40, n_interior=900, n_boundary=200)
    assert quiet.getvalue() == ""  # small solves outside a terminal stay quiet by default


def test_ctrl_c_stops_a_long_solve_between_blocks(tmp_path):
    """SIGINT once the progress line shows rows: the solve stops within seconds with a
    KeyboardInterrupt, no thread besides the main one is left and no file is written."""
    log = tmp_path / "child.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1",
           "JAX_PLATFORMS": "cpu"}
    env.pop("XLA_FLAGS", None)
    with open(log, "w") as out:
        child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=out,
                                 stderr=subprocess.STDOUT, env=env, cwd=tmp_path)
    deadline = time.monotonic() + 120
    try:
        while "/" not in log.read_text().split("]")[-1] or "rows/s" not in log.read_text():
            assert child.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the solve never showed progress"
            time.sleep(0.05)
        child.send_signal(signal.SIGINT)
        sent = time.monotonic()
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    output = log.read_text()
    assert "STOPPED threads=1" in output, output
    assert time.monotonic() - sent < 30
    assert sorted(p.name for p in tmp_path.iterdir()) == ["child.log"]
