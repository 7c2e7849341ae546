"""SFHCPINN reference example E2. Run `python problems/sfhcpinn_e2.py --help`."""

from pdesolve.cli import run_script

if __name__ == "__main__":
    raise SystemExit(run_script("sfhcpinn_e2"))
