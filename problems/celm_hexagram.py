"""CELM example celm_hexagram. Run `python problems/celm_hexagram.py --help`."""

from pdesolve.cli import run_script

if __name__ == "__main__":
    raise SystemExit(run_script("celm_hexagram"))
