"""The CELM examples run end to end in quick mode and reach their own tolerances."""

import json
import subprocess
import sys
from pathlib import Path

import jax
import pytest

from pdesolve.examples import CELM, EXAMPLES, get_example, public_results, run

ROOT = Path(__file__).resolve().parent.parent
CELM_EXAMPLES = [e for e in EXAMPLES if getattr(e, "method", None) is CELM]
# the 2D examples take 0.3-1 s each in quick mode; the 3D ones 2.5-8 s (slow suite)
PLANE = [e for e in CELM_EXAMPLES if e.problem().dim == 2]


def test_all_reference_examples_listed_with_scripts():
    expected = {"celm_square", "celm_hexagram", "celm_square2", "celm_cube", "celm_cube2",
                "celm_shell", "celm_clamped_square", "celm_clamped_poly", "celm_clamped_mixed",
                "celm_clamped_cube", "celm_clamped_cube_poly"}
    assert {e.name for e in CELM_EXAMPLES} == expected
    for name in expected:
        assert (ROOT / "problems" / f"{name}.py").exists()


@pytest.mark.parametrize("example", CELM_EXAMPLES, ids=lambda e: e.name)
def test_records_are_consistent(example):
    names = {o.name for o in example.options}
    assert set(example.quick) - {"n_test"} <= set(example.settings) <= names | {"test_slice_z"}
    assert 0 < example.tolerance <= example.quick_tolerance < 1


def _check(example, results):
    assert results["relative_l2"] < example.quick_tolerance, (example.name, results)
    assert results["max_error"] >= 0 and results["wall_time_s"] > 0


@pytest.mark.parametrize("example", PLANE, ids=lambda e: e.name)
def test_quick_2d_examples_reach_their_tolerance(example):
    results = run(example, quick=True)
    _check(example, results)
    assert results["n_test"] == example.quick["n_test"]
    assert "_solution" in results and "_solution" not in public_results(results)


@pytest.mark.slow  # 2.5-8 s each
@pytest.mark.parametrize("example", [e for e in CELM_EXAMPLES if e not in PLANE],
                         ids=lambda e: e.name)
def test_quick_3d_examples_reach_their_tolerance(example):
    results = run(example, quick=True)
    _check(example, results)
    if "test_slice_z" in example.settings:  # the cubes (not the shell)
        assert results["relative_l2_slice"] < example.quick_tolerance


def test_options_are_checked_by_name_and_value():
    example = get_example("celm_square")
    with pytest.raises(TypeError, match="'hiden'.*did you mean 'hidden'"):
        run(example, quick=True, hiden=10)
    with pytest.raises(ValueError, match="hidden must be a positive integer, got 0"):
        run(example, quick=True, hidden=0)
    with pytest.raises(ValueError, match="solver must be one of"):
        run(example, quick=True, solver="magic")


def test_run_needs_float64_and_leaves_jax_config_alone():
    jax.config.update("jax_enable_x64", False)
    try:
        with pytest.raises(RuntimeError, match=r'jax.config.update\("jax_enable_x64", True\)'):
            run(get_example("celm_square"), quick=True)
        assert not jax.config.jax_enable_x64
    finally:
        jax.config.update("jax_enable_x64", True)


@pytest.mark.slow
@pytest.mark.parametrize("example", CELM_EXAMPLES, ids=lambda e: e.name)
def test_every_example_script_quick(example):
    proc = subprocess.run([sys.executable, str(ROOT / "problems" / f"{example.name}.py"),
                           "--quick", "--json", "--no-cache"], capture_output=True, text=True,
                          check=True, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    _check(example, json.loads(proc.stdout.strip().splitlines()[-1]))
