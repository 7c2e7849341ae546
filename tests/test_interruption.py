"""Kill -9 and Ctrl-C at random moments, resume, and end bit-identical to an uninterrupted run.

Each training runs in a fresh interpreter (`training_problem.interruptible_run`: STEPS Adam
steps of a small fit with a checkpoint every 10 steps, so kills land in compilation, in steps
and in checkpoint writes; Ctrl-C is sent once a new checkpoint shows the run is training). The
steps run at about 6000 per second once compiled, so STEPS keeps a resumed run training for a
few seconds, long enough for the Ctrl-C to land.
Every process has a deadline; the test fails with its output if one is late.
"""

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from training_problem import interruptible_run

ROOT = Path(__file__).resolve().parent.parent
DEADLINE_S = 120
KILLS = 5
STEPS = 20_000

CHILD = """
import json, sys
import jax
jax.config.update("jax_enable_x64", True)
from training_problem import interruptible_run
result = interruptible_run(sys.argv[1], sys.argv[2] == "resume", steps=int(sys.argv[3]))
print("RESULT " + json.dumps(result), flush=True)
"""


class Child:
    """One training process with its output in a file."""

    def __init__(self, folder: Path, name: str, resume: bool):
        self.log = folder / f"{name}.{time.monotonic_ns()}.log"
        env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests'}",
               "OPENBLAS_NUM_THREADS": "1", "JAX_PLATFORMS": "cpu"}
        env.pop("XLA_FLAGS", None)
        with open(self.log, "w") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", CHILD, str(folder / name), "resume" if resume else "new",
                 str(STEPS)],
                stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        self.started = time.monotonic()

    def output(self) -> str:
        return self.log.read_text()

    def wait_ready(self) -> None:
        while "READY" not in self.output():
            self.check_time("to start")
            if self.proc.poll() is not None:
                pytest.fail(f"training process exited early:\n{self.output()}")
            time.sleep(0.02)

    def result(self) -> dict:
        while self.proc.poll() is None:
            self.check_time("to finish")
            time.sleep(0.05)
        lines = [ln for ln in self.output().splitlines() if ln.startswith("RESULT ")]
        if self.proc.returncode != 0 or not lines:
            pytest.fail(f"training process failed ({self.proc.returncode}):\n{self.output()}")
        return json.loads(lines[-1][len("RESULT "):])

    def check_time(self, what) -> None:
        if time.monotonic() - self.started > DEADLINE_S:
            self.proc.kill()
            self.proc.wait()
            pytest.fail(f"training process took over {DEADLINE_S} s {what}:\n{self.output()}")


def _modified(path: Path):
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return None


def test_kill_9_and_ctrl_c_then_resume_is_bit_identical_beside_another_writer(tmp_path):
    """5 × SIGKILL and one SIGINT at random moments, each followed by a resume, while a second
    process trains and checkpoints into the same folder: both end bit-identical to the same
    training run alone, here in the test process."""
    alone = interruptible_run(tmp_path / "alone" / "run.ckpt", resume=False, steps=STEPS)
    neighbour = Child(tmp_path, "neighbour.ckpt", resume=False)
    rng = random.Random(20261202)
    kills, started = 0, False
    while kills < KILLS:
        child = Child(tmp_path, "run.ckpt", resume=started)
        child.wait_ready()
        time.sleep(rng.uniform(0.0, 1.0))
        if child.proc.poll() is None:
            child.proc.send_signal(signal.SIGKILL)
            child.proc.wait()
            kills += 1
        started = any((tmp_path / name).exists() for name in ("run.ckpt", "run.ckpt.1"))
    before = _modified(tmp_path / "run.ckpt")
    child = Child(tmp_path, "run.ckpt", resume=started)
    child.wait_ready()
    while _modified(tmp_path / "run.ckpt") == before and child.proc.poll() is None:
        child.check_time("to write a checkpoint")
        time.sleep(0.01)
    time.sleep(rng.uniform(0.0, 0.2))
    child.proc.send_signal(signal.SIGINT)
    stopped = child.result()
    assert "interrupted" in stopped, "the run finished before Ctrl-C; lengthen it"
    assert stopped["interrupted"] > 0 and stopped["checkpoint"] == str(tmp_path / "run.ckpt")
    final = Child(tmp_path, "run.ckpt", resume=True).result()
    print(f"{kills} kills -9 and 1 Ctrl-C (at step {stopped['interrupted']}) survived")
    assert final == alone
    assert neighbour.result() == alone
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".log") == [
        "alone", "neighbour.ckpt", "neighbour.ckpt.1", "run.ckpt", "run.ckpt.1"]
