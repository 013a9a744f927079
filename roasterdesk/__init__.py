"""RoasterDesk: producers, visits, lots and the price chain, kept offline for green-coffee buyers."""

__version__ = "0.1.0"
