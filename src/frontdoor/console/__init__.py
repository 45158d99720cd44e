"""The composition root: CLI, settings, and the Textual console."""
