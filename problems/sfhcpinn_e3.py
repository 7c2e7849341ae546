"""SFHCPINN reference example E3. Run `python problems/sfhcpinn_e3.py --help`."""

from pdesolve.cli import run_script

if __name__ == "__main__":
    raise SystemExit(run_script("sfhcpinn_e3"))
