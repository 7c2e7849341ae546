"""CELM example celm_hexagram. Run `python problems/celm_hexagram.py --help`."""

import sys

from pdesolve.examples import run_example

if __name__ == "__main__":
    run_example("celm_hexagram", sys.argv[1:])
