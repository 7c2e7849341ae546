"""SFHCPINN reference example E4. Run `python problems/sfhcpinn_e4.py --help`."""

from pdesolve.cli import run_script

if __name__ == "__main__":
    raise SystemExit(run_script("sfhcpinn_e4"))
