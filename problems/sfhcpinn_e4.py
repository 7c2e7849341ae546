"""SFHCPINN reference example E4. Run `python problems/sfhcpinn_e4.py --help`."""

import sys

from pdesolve.examples import run_example

if __name__ == "__main__":
    run_example("sfhcpinn_e4", sys.argv[1:])
