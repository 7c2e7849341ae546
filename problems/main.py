"""The main job: `python3 problems/main.py` solves the headline problems, prints their errors and
writes figures (solution and pointwise error, training history) and solution files to `out/`,
exactly as `python -m pdesolve run NAME --out out` does (creating `.venv` and installing pdesolve
on first use)."""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("_venv", ROOT / "problems" / "_venv.py")
_venv = importlib.util.module_from_spec(spec)
spec.loader.exec_module(_venv)
_venv.ensure_venv()

from pdesolve.cli import main as cli_main  # noqa: E402

# (example name, its options): the geometry gallery, the CELM headline problem at its defaults and
# a brief SFHCPINN training run on E2.
HEADLINE = (("gallery", []), ("celm_hexagram", []), ("sfhcpinn_e2", ["--quick"]))

if __name__ == "__main__":
    out = ROOT / "out"
    for name, options in HEADLINE:
        code = cli_main(["run", name, *options, "--out", str(out), *sys.argv[1:]])
        if code:
            sys.exit(code)
    print(f"figures and solution files written to {out}")
