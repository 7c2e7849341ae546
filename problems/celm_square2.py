"""CELM example celm_square2. Run `python problems/celm_square2.py --help`."""

import sys

from pdesolve.examples import run_example

if __name__ == "__main__":
    run_example("celm_square2", sys.argv[1:])
