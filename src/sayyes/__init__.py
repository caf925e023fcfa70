"""sayyes: say yes to every interview, and get something out of each one."""

__version__ = "0.1.0"
