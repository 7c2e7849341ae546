"""CELM example celm_clamped_mixed. Run `python problems/celm_clamped_mixed.py --help`."""

from pdesolve.cli import run_script

if __name__ == "__main__":
    raise SystemExit(run_script("celm_clamped_mixed"))
