"""cyberpower: national cyber-power scores, ranks and posture profiles, modelled on the NCPI."""

__version__ = "0.1.0"
