"""SFHCPINN reference example E1. Run `python problems/sfhcpinn_e1.py --help`."""

import sys

from pdesolve.examples import run_example

if __name__ == "__main__":
    run_example("sfhcpinn_e1", sys.argv[1:])
