"""Orchestration: where configuration, state machines and OS adapters meet."""
