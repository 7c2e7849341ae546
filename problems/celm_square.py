"""CELM example celm_square. Run `python problems/celm_square.py --help`."""

import sys

from pdesolve.examples import run_example

if __name__ == "__main__":
    run_example("celm_square", sys.argv[1:])
