import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jax.numpy as jnp
import meshio
import pytest
from test_plotting_support import FakeProblem, FakeSolution, Shell, smooth

import pdesolve
from pdesolve.cli import main
from pdesolve.examples import EXAMPLES, Example

ROOT = Path(__file__).resolve().parent.parent


def _toy_arguments(parser):
    parser.add_argument("--method", choices=["exact", "perturbed"], default="perturbed")
    parser.add_argument("--width", type=float, default=1e-3)


def _toy_run(args):
    if args.width < 0:
        raise ValueError(f"width must be >= 0, got {args.width}.")
    exact = lambda x: jnp.sin(x[0]) * jnp.cos(x[1])
    shift = 0.0 if args.method == "exact" else args.width
    sol = FakeSolution(lambda x: smooth(x) + shift * x[:, 0], FakeProblem(Shell(2), exact))
    sol.info = {"loss": [1.0, 0.1, 0.01], "error_steps": [0, 2], "error": [0.5, 0.05]}
    return {"max_error": shift, "method": args.method, "quick": args.quick, "_solution": sol}


@pytest.fixture
def toy(monkeypatch):
    monkeypatch.setitem(EXAMPLES, "toy", Example("toy", "a synthetic field on an annulus",
                                                 _toy_run, _toy_arguments))


def cli(*args, env=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "pdesolve", *args], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120)


def test_version_subprocess():
    proc = cli("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"pdesolve {pdesolve.__version__}"


def test_list_json_matches_registry(capsys):
    assert main(["list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed == {name: ex.description for name, ex in EXAMPLES.items()}


def test_unknown_example_subprocess():
    proc = cli("run", "no_such_problem")
    assert proc.returncode == 2
    assert "unknown example 'no_such_problem'" in proc.stderr and "known examples" in proc.stderr


def test_usage_errors_in_process(capsys):
    assert main(["frobnicate"]) == 2
    assert "frobnicate" in capsys.readouterr().err
    assert main([]) == 2
    assert "COMMAND" in capsys.readouterr().err


def test_list_in_process(toy, capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^toy +a synthetic field on an annulus$", out, re.MULTILINE)


def test_run_json_and_outputs(toy, capsys, tmp_path):
    assert main(["run", "toy", "--quick", "--json", "--method", "perturbed",
                 "--out", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    results = json.loads(captured.out)  # stdout is exactly one JSON object
    assert results["example"] == "toy" and results["quick"] is True
    assert results["max_error"] == pytest.approx(1e-3)
    assert "_solution" not in results
    for name in ("toy.vtu", "toy_solution.png", "toy_history.png"):
        assert (tmp_path / name).stat().st_size > 0
        assert f"wrote {tmp_path / name}" in captured.err
    mesh = meshio.read(tmp_path / "toy.vtu")
    assert max(mesh.point_data["error"]) == pytest.approx(1e-3, rel=0.05)


def test_run_summary_without_out(toy, capsys, tmp_path):
    assert main(["run", "toy", "--method", "exact"]) == 0
    out = capsys.readouterr().out
    assert "== toy" in out and "max_error" in out and "wrote" not in out


def test_run_usage_errors_name_the_argument(toy, capsys):
    assert main(["run", "toy", "--method", "magic"]) == 2
    assert "--method" in capsys.readouterr().err
    assert main(["run", "toy", "--bogus"]) == 2
    assert "--bogus" in capsys.readouterr().err
    assert main(["run", "toy", "--width", "-1"]) == 2
    assert "width must be >= 0" in capsys.readouterr().err
    assert main(["run", "toi"]) == 2
    assert "toy" in capsys.readouterr().err  # the known names are listed


def test_run_help_exits_zero(toy, capsys):
    assert main(["run", "toy", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--method" in out and "--quick" in out


def test_every_registered_example_has_a_working_parser(capsys):
    for name, example in EXAMPLES.items():
        assert main(["run", name, "--help"]) == 0, name
        out = capsys.readouterr().out
        assert f"pdesolve run {name}" in out and "--quick" in out and "--json" in out
        assert example.description.split()[0] in out


@pytest.mark.slow  # 5–30 s depending on load; the toy example covers the CLI by default
def test_run_real_celm_example_writes_outputs(capsys, tmp_path):
    from pdesolve import io

    assert main(["run", "celm_square2", "--quick", "--json", "--out", str(tmp_path)]) == 0
    results = json.loads(capsys.readouterr().out)
    assert results["relative_l2"] < 1e-6
    mesh = meshio.read(tmp_path / "celm_square2.vtu")
    assert max(mesh.point_data["error"]) < 1e-6
    assert (tmp_path / "celm_square2_solution.png").stat().st_size > 0
    (saved,) = tmp_path.glob("*.npz")  # the example saves its own solution file
    sol = io.load_solution(saved)
    x = mesh.points[:20, :2]
    assert sol(x).shape == (20,)
    assert float(abs(sol(x) - mesh.point_data["solution"][:20]).max()) < 1e-12
