"""`benchmarks/gpu.py --smoke` runs every part of the GPU benchmark at tiny sizes on CPU."""

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _gpu_module():
    spec = importlib.util.spec_from_file_location("gpu_benchmark", ROOT / "benchmarks" / "gpu.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gpu_script_smoke(tmp_path, capsys):
    out = tmp_path / "gpu.md"
    assert _gpu_module().main(["--smoke", "--out", str(out)]) == 0
    text = out.read_text()
    assert "float64 on the device: **yes**" in text
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()
               if line.startswith("{")]
    celm = {r["backend"]: r for r in records if r.get("part", "").startswith("celm")}
    assert set(celm) == {"device", "host"}
    # the device and host least squares solve the same system equally well
    assert celm["device"]["relative_l2"] < 1e-3
    assert celm["device"]["relative_l2"] < 3 * celm["host"]["relative_l2"]
    pinn = [r for r in records if r.get("part", "").startswith("sfhcpinn")]
    assert [r["steps"] for r in pinn] == [200, 100]
    assert pinn[0]["relative_l2"] < 0.2
    assert "| celm small | device | 1 | 12192 × 200 |" in text
