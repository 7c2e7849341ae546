"""SFHCPINN reference example E8. Run `python problems/sfhcpinn_e8.py --help`."""

import sys

from pdesolve.examples import run_example

if __name__ == "__main__":
    run_example("sfhcpinn_e8", sys.argv[1:])
