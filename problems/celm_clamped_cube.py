"""CELM example celm_clamped_cube. Run `python problems/celm_clamped_cube.py --help`."""

import sys

from pdesolve.examples import run_example

if __name__ == "__main__":
    run_example("celm_clamped_cube", sys.argv[1:])
