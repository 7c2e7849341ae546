"""CELM example celm_clamped_square. Run `python problems/celm_clamped_square.py --help`."""

import sys

from pdesolve.examples import run_example

if __name__ == "__main__":
    run_example("celm_clamped_square", sys.argv[1:])
