"""SFHCPINN reference example E2. Run `python problems/sfhcpinn_e2.py --help`."""

import sys

from pdesolve.examples import run_example

if __name__ == "__main__":
    run_example("sfhcpinn_e2", sys.argv[1:])
