"""The SFHCPINN reference examples run through the registry and their scripts' options."""

import json

import pytest

from pdesolve.examples import get_example, run_example
from pdesolve.examples.advection_diffusion import CASES

NAMES = sorted(CASES)


def test_all_examples_registered_with_exact_solutions():
    assert NAMES == sorted(f"sfhcpinn_e{k}" for k in ("1", "2", "3", "4", "5", "6", "7", "8",
                                                       "8b", "9"))
    for name in NAMES:
        problem = CASES[name].problem()
        assert problem.exact is not None and not problem.steady
        assert get_example(name).description.upper().startswith(name.split("_")[1].upper() + ":")


def test_e8_samples_only_the_porous_domain():
    problem = CASES["sfhcpinn_e8"].problem()
    assert problem.domain.measure < 16 - 1.0  # holes removed from the 4 × 4 plate


@pytest.mark.slow
def test_quick_run_prints_json(capsys):
    results = run_example("sfhcpinn_e6", ["--quick", "--steps", "20", "--json"])
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["example"] == "sfhcpinn_e6" and out["variant"] == "sfhcpinn"
    assert out["steps"] == 20 and 0 < out["relative_l2"] < 1
    assert abs(out["reference_rel_squared"] - out["relative_l2"] ** 2) < 1e-12
    assert "_solution" in results


# E3 (sin πx + 0.1 sin 30πx on [0, 2] × [0, 5]) does not improve in short runs with any variant
# (measured: 100 steps 0.772 -> 0.777, 300 steps 0.784, 1500 steps 0.778). The problem matches the
# reference; 0.78 is the error of u = G = u0 (no decay). Cause: the residual of the 0.1 sin 30πx
# part, d·(30π)²·0.1·(1 − e^{−t/4}), has mean square 35.6 and is the whole stalled loss (31–35),
# so the gradient ignores the smooth part that carries the L2 error; without that term E3 falls
# 0.77 -> 0.012 in 200 steps. Scaled inputs, 3× scales and lr 1e-3 did not help
# (benchmarks/results/pinn_accuracy.md). Kept visible as an expected failure.
_E3_STALLS = pytest.mark.xfail(
    reason="E3 stalls near 0.78: its 0.1 sin 30πx residual dominates the loss (see comment)",
    strict=False,
)


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("variant", ["sfhcpinn", "pinn", "hcpinn", "sfpinn"])
def test_every_example_and_variant_runs(name, variant, request):
    if name == "sfhcpinn_e3" and variant == "sfhcpinn":  # the only case with an error bound
        request.applymarker(_E3_STALLS)
    results = run_example(name, ["--quick", "--steps", "100", "--variant", variant, "--json"])
    assert results["error_history"][-1] < results["error_history"][0] or variant != "sfhcpinn"
