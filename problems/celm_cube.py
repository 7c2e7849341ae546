"""CELM example celm_cube. Run `python problems/celm_cube.py --help`."""

from pdesolve.cli import run_script

if __name__ == "__main__":
    raise SystemExit(run_script("celm_cube"))
