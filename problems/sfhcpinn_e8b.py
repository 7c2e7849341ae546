"""SFHCPINN reference example E8B. Run `python problems/sfhcpinn_e8b.py --help`."""

import sys

from pdesolve.examples import run_example

if __name__ == "__main__":
    run_example("sfhcpinn_e8b", sys.argv[1:])
