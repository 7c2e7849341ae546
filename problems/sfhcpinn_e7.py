"""SFHCPINN reference example E7. Run `python problems/sfhcpinn_e7.py --help`."""

import sys

from pdesolve.examples import run_example

if __name__ == "__main__":
    run_example("sfhcpinn_e7", sys.argv[1:])
