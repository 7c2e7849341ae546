"""CELM example celm_clamped_mixed. Run `python problems/celm_clamped_mixed.py --help`."""

import sys

from pdesolve.examples import run_example

if __name__ == "__main__":
    run_example("celm_clamped_mixed", sys.argv[1:])
