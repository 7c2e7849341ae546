"""CELM example celm_clamped_cube_poly. Run `python problems/celm_clamped_cube_poly.py --help`."""

import sys

from pdesolve.examples import run_example

if __name__ == "__main__":
    run_example("celm_clamped_cube_poly", sys.argv[1:])
