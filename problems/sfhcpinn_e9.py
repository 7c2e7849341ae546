"""SFHCPINN reference example E9. Run `python problems/sfhcpinn_e9.py --help`."""

import sys

from pdesolve.examples import run_example

if __name__ == "__main__":
    run_example("sfhcpinn_e9", sys.argv[1:])
