"""Run JAX code in fresh interpreters: with forced host devices, or as local multi-process runs.

Multi-device behaviour needs a fresh process (the device count is fixed when JAX starts), and a
collective that never completes would otherwise stall the suite: every run here has a hard
deadline, kills its whole process group when it passes, and fails with what the processes
printed. Code reports its result as one JSON line prefixed by `RESULT `.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PREAMBLE = """
import os, json
import jax
jax.config.update("jax_enable_x64", True)
def report(**values):
    print("RESULT " + json.dumps(values), flush=True)
"""

DISTRIBUTED = """
jax.distributed.initialize(os.environ["PDESOLVE_TEST_COORDINATOR"],
                           num_processes=int(os.environ["PDESOLVE_TEST_PROCESSES"]),
                           process_id=int(os.environ["PDESOLVE_TEST_PROCESS_ID"]),
                           initialization_timeout=60)
"""


def _environment(devices: int, extra: dict | None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XLA_", "JAX_"))}
    # PJRT_NPROC ≥ 2 × devices: XLA's CPU client then has threads to spare when launches queue
    # up, which otherwise can deadlock a collective (benchmarks/results/pinn_devices_findings.md)
    env.update(PYTHONPATH=str(ROOT), OPENBLAS_NUM_THREADS="1", JAX_PLATFORMS="cpu",
               PJRT_NPROC=str(max(2 * devices, os.cpu_count() or 1)),
               XLA_FLAGS=f"--xla_force_host_platform_device_count={devices}")
    env.update(extra or {})
    return env


def _start(code: str, env: dict, argv: list[str] | None = None) -> subprocess.Popen:
    # Output goes to a file, not a pipe: a process blocked on a full pipe while its peer waits
    # for it in a collective would deadlock both.
    log = tempfile.TemporaryFile(mode="w+")
    command = [sys.executable, *(argv if argv is not None else ["-c", code])]
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, text=True, env=env,
                            cwd=ROOT, start_new_session=True)
    proc.log = log
    return proc


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def _output(proc: subprocess.Popen) -> str:
    proc.log.seek(0)
    return proc.log.read()


def _finish(procs: list, timeout: float, what: str) -> list[str]:
    """Wait for every process by one shared deadline; kill all and fail if any is late or fails."""
    deadline = time.monotonic() + timeout
    try:
        while any(p.poll() is None for p in procs):
            if time.monotonic() > deadline:
                for proc in procs:
                    _kill(proc)
                text = "\n".join(f"--- process {i}:\n{_output(p)[-3000:]}"
                                 for i, p in enumerate(procs))
                pytest.fail(f"{what} did not finish within {timeout} s (a collective that "
                            "never completed, or an overloaded machine); all processes were "
                            f"killed.\n{text}")
            time.sleep(0.05)
        outputs = [_output(p) for p in procs]
    finally:
        for proc in procs:
            _kill(proc)
            proc.log.close()
    for i, (proc, out) in enumerate(zip(procs, outputs, strict=True)):
        if proc.returncode != 0:
            pytest.fail(f"{what}: process {i} exited with {proc.returncode}:\n{out[-4000:]}")
    return outputs


def _result(output: str) -> dict:
    lines = [ln for ln in output.splitlines() if ln.startswith("RESULT ")]
    if not lines:
        pytest.fail(f"the process reported no RESULT line:\n{output[-4000:]}")
    return json.loads(lines[-1][len("RESULT "):])


def run_devices(code: str, devices: int, *, timeout: float = 180, env: dict | None = None) -> dict:
    """Run `code` in one process with `devices` forced host devices; returns its RESULT."""
    source = PREAMBLE + textwrap.dedent(code)
    (out,) = _finish([_start(source, _environment(devices, env))], timeout,
                     f"a run on {devices} forced host device(s)")
    return _result(out)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_processes(code: str, processes: int = 2, *, devices_per_process: int = 1,
                  timeout: float = 240, env: dict | None = None) -> list[dict]:
    """Run `code` in `processes` local processes joined by `jax.distributed` on 127.0.0.1.

    Returns:
        The RESULT of every process, by process index.
    """
    coordinator = f"127.0.0.1:{free_port()}"
    source = PREAMBLE + DISTRIBUTED + textwrap.dedent(code)
    procs = [
        _start(source, _environment(devices_per_process, {
            **(env or {}), "PDESOLVE_TEST_COORDINATOR": coordinator,
            "PDESOLVE_TEST_PROCESSES": str(processes), "PDESOLVE_TEST_PROCESS_ID": str(i)}))
        for i in range(processes)
    ]
    outputs = _finish(procs, timeout, f"a {processes}-process run")
    return [_result(out) for out in outputs]


def run_cli_processes(arguments: list[str], processes: int = 2, *,
                      timeout: float = 240) -> list[dict]:
    """`python -m pdesolve --coordinator … --process-id I ARGUMENTS` once per process.

    Returns:
        The last JSON object each process printed (run the example with --json).
    """
    coordinator = f"127.0.0.1:{free_port()}"
    procs = [
        _start("", _environment(1, None),
               ["-m", "pdesolve", "--coordinator", coordinator, "--num-processes",
                str(processes), "--process-id", str(i), *arguments])
        for i in range(processes)
    ]
    outputs = _finish(procs, timeout, f"a {processes}-process command line run")
    results = []
    for out in outputs:
        lines = [ln for ln in out.splitlines() if ln.startswith("{")]
        if not lines:
            pytest.fail(f"the command printed no JSON object:\n{out[-4000:]}")
        results.append(json.loads(lines[-1]))
    return results
