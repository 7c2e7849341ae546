"""CELM example celm_clamped_square. Run `python problems/celm_clamped_square.py --help`."""

from pdesolve.cli import run_script

if __name__ == "__main__":
    raise SystemExit(run_script("celm_clamped_square"))
