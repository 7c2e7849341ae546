"""SFHCPINN reference example E3. Run `python problems/sfhcpinn_e3.py --help`."""

import sys

from pdesolve.examples import run_example

if __name__ == "__main__":
    run_example("sfhcpinn_e3", sys.argv[1:])
