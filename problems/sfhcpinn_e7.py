"""SFHCPINN reference example E7. Run `python problems/sfhcpinn_e7.py --help`."""

from pdesolve.cli import run_script

if __name__ == "__main__":
    raise SystemExit(run_script("sfhcpinn_e7"))
