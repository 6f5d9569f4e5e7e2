"""mittnite: a smart init system for containers (Python re-implementation)."""

__version__ = "0.1.0"
