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
from pdesolve.cli import cache_folder, enable_compilation_cache, main
from pdesolve.examples import EXAMPLES, Example, Method, Option

ROOT = Path(__file__).resolve().parent.parent


def _toy_solve(example, settings, *, key, out):
    exact = lambda x: jnp.sin(x[0]) * jnp.cos(x[1])
    shift = 0.0 if settings["method"] == "exact" else settings["width"]
    sol = FakeSolution(lambda x: smooth(x) + shift * x[:, 0], FakeProblem(Shell(2), exact))
    sol.info = {"loss": [1.0, 0.1, 0.01], "error_steps": [0, 2], "error": [0.5, 0.05]}
    return {"max_error": shift, "method": settings["method"], "quick": settings["quick"],
            "_solution": sol}


TOY = Example(
    name="toy", description="a synthetic field on an annulus", problem=lambda: None,
    method=Method("toy", _toy_solve, needs_float64=False),
    settings={"quick": False}, quick={"quick": True}, tolerance=1e-2, quick_tolerance=1e-2,
    options=(Option("method", str, "perturbed", "exact or perturbed",
                    choices=("exact", "perturbed")),
             Option("width", float, 1e-3, "size of the perturbation", lower=0)),
)
WITH_TOY = (*EXAMPLES, TOY)


@pytest.fixture(autouse=True)
def no_cache(monkeypatch):
    """In-process runs leave this process's compilation cache setting alone."""
    monkeypatch.setenv("PDESOLVE_NO_CACHE", "1")


def cli(*args, env=None, timeout=120):
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "pdesolve", *args], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=timeout)


def test_version_subprocess():
    proc = cli("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"pdesolve {pdesolve.__version__}"


def test_list_json_matches_registry(capsys):
    assert main(["list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed == {ex.name: ex.description for ex in EXAMPLES}
    assert len(listed) == len(EXAMPLES)  # names are unique


def test_unknown_example_subprocess():
    proc = cli("run", "no_such_problem")
    assert proc.returncode == 2
    assert "unknown example 'no_such_problem'" in proc.stderr and "known examples" in proc.stderr


def test_usage_errors_in_process(capsys):
    assert main(["frobnicate"]) == 2
    assert "frobnicate" in capsys.readouterr().err
    assert main([]) == 2
    assert "COMMAND" in capsys.readouterr().err


def test_list_in_process(capsys):
    assert main(["list"], WITH_TOY) == 0
    out = capsys.readouterr().out
    assert re.search(r"^toy +a synthetic field on an annulus$", out, re.MULTILINE)


def test_run_json_and_outputs(capsys, tmp_path):
    assert main(["run", "toy", "--quick", "--json", "--method", "perturbed",
                 "--out", str(tmp_path)], WITH_TOY) == 0
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


def test_run_summary_without_out(capsys, tmp_path):
    assert main(["run", "toy", "--method", "exact"], WITH_TOY) == 0
    out = capsys.readouterr().out
    assert "== toy" in out and "max_error" in out and "wrote" not in out


def test_run_usage_errors_name_the_argument(capsys):
    assert main(["run", "toy", "--method", "magic"], WITH_TOY) == 2
    assert "--method" in capsys.readouterr().err
    assert main(["run", "toy", "--bogus"], WITH_TOY) == 2
    assert "--bogus" in capsys.readouterr().err
    assert main(["run", "toy", "--width", "-1"], WITH_TOY) == 2
    assert "--width: must be a finite number >= 0, got '-1'" in capsys.readouterr().err
    assert main(["run", "toy", "--width", "abc"], WITH_TOY) == 2
    assert "--width: must be a finite number >= 0, got 'abc'" in capsys.readouterr().err
    assert main(["run", "toi"], WITH_TOY) == 2
    assert "toy" in capsys.readouterr().err  # the known names are listed


def test_run_help_exits_zero(capsys):
    assert main(["run", "toy", "--help"], WITH_TOY) == 0
    out = capsys.readouterr().out
    assert "--method" in out and "--quick" in out and "--no-cache" in out
    assert "(default perturbed)" in out


def test_every_example_has_a_working_parser(capsys):
    for example in EXAMPLES:
        name = example.name
        assert main(["run", name, "--help"]) == 0, name
        out = capsys.readouterr().out
        assert f"pdesolve run {name}" in out and "--quick" in out and "--json" in out
        assert example.description.split()[0] in out
        for option in example.options:
            assert "--" + option.name.replace("_", "-") in out, (name, option.name)


def test_option_defaults_and_quick_settings_show_in_help(capsys):
    assert main(["run", "sfhcpinn_e2", "--help"]) == 0
    assert "(default 5000; 200 with --quick)" in " ".join(capsys.readouterr().out.split())


def test_cache_folder_follows_the_environment(tmp_path):
    assert cache_folder({"PDESOLVE_CACHE_DIR": str(tmp_path)}) == tmp_path
    assert cache_folder({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "pdesolve" / "jax"
    assert cache_folder({}) == Path.home() / ".cache" / "pdesolve" / "jax"


def test_second_run_in_a_fresh_process_uses_the_compilation_cache(tmp_path):
    """The first CLI run fills the cache folder; a second, fresh process finds its programs
    there (with JAX_LOG_COMPILES, JAX logs each hit as a warning) and reaches the same error."""
    cache = tmp_path / "cache"
    env = {"PDESOLVE_CACHE_DIR": str(cache), "PDESOLVE_NO_CACHE": ""}
    first = cli("run", "celm_square", "--quick", "--json", env=env)
    assert first.returncode == 0, first.stderr
    files = [p for p in cache.rglob("*") if p.is_file()]
    assert files, "the first run wrote no cache entries"
    second = cli("run", "celm_square", "--quick", "--json", env={**env, "JAX_LOG_COMPILES": "1"})
    assert second.returncode == 0, second.stderr
    assert "Persistent compilation cache hit" in second.stderr, second.stderr[-2000:]
    error = [json.loads(p.stdout)["relative_l2"] for p in (first, second)]
    assert error[0] == error[1]


def test_no_cache_switch(tmp_path):
    assert enable_compilation_cache({"PDESOLVE_NO_CACHE": "1"}) is None
    assert enable_compilation_cache({"PDESOLVE_NO_CACHE": "yes"}) is None
    assert main(["run", "celm_square", "--no-cache", "--help"]) == 0


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
