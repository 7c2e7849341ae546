"""CELM example celm_cube. Run `python problems/celm_cube.py --help`."""

import sys

from pdesolve.examples import run_example

if __name__ == "__main__":
    run_example("celm_cube", sys.argv[1:])
