"""CELM example celm_cube2. Run `python problems/celm_cube2.py --help`."""

import sys

from pdesolve.examples import run_example

if __name__ == "__main__":
    run_example("celm_cube2", sys.argv[1:])
