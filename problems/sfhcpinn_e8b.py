"""SFHCPINN reference example E8B. Run `python problems/sfhcpinn_e8b.py --help`."""

from pdesolve.cli import run_script

if __name__ == "__main__":
    raise SystemExit(run_script("sfhcpinn_e8b"))
