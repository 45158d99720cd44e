"""Calls before a handler has them: queue events, the queue_log reader, handler states."""
