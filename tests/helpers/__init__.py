"""Shared builders, windows and scripts for the tests."""
