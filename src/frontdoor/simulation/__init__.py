"""Realistic callers and handlers driving the real scripts, directory and record."""
