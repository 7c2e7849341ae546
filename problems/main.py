"""The main job: `python3 problems/main.py` solves the headline problems, prints their errors and
writes figures to `out/` (creating `.venv` and installing pdesolve on first use)."""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("_venv", ROOT / "problems" / "_venv.py")
_venv = importlib.util.module_from_spec(spec)
spec.loader.exec_module(_venv)
_venv.ensure_venv()

from pdesolve.examples import run_example  # noqa: E402

HEADLINE = ("gallery", "celm_hexagram")

if __name__ == "__main__":
    out = ROOT / "out"
    for name in HEADLINE:
        run_example(name, ["--out", str(out), *sys.argv[1:]])
    print(f"figures written to {out}")
