"""SFHCPINN reference example E6. Run `python problems/sfhcpinn_e6.py --help`."""

import sys

from pdesolve.examples import run_example

if __name__ == "__main__":
    run_example("sfhcpinn_e6", sys.argv[1:])
