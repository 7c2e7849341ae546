"""Run the test suite: `python3 tests/run.py [pytest args]` (sets up `.venv` on first use)."""

import importlib.util
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# One BLAS thread: SciPy's LAPACK calls between XLA computations otherwise contend with XLA's own
# thread pool on small machines (measured 5-10x slower CELM tests on 2 busy cores).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
spec = importlib.util.spec_from_file_location("_venv", ROOT / "problems" / "_venv.py")
_venv = importlib.util.module_from_spec(spec)
spec.loader.exec_module(_venv)
_venv.ensure_venv()

import pytest  # noqa: E402

sys.exit(pytest.main(["-q", str(ROOT / "tests"), *sys.argv[1:]]))
