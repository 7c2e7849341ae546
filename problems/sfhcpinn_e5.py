"""SFHCPINN reference example E5. Run `python problems/sfhcpinn_e5.py --help`."""

import sys

from pdesolve.examples import run_example

if __name__ == "__main__":
    run_example("sfhcpinn_e5", sys.argv[1:])
