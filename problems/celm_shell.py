"""CELM example celm_shell. Run `python problems/celm_shell.py --help`."""

import sys

from pdesolve.examples import run_example

if __name__ == "__main__":
    run_example("celm_shell", sys.argv[1:])
