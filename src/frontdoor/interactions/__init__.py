"""The record of contacts: answers, searches, ends, outcomes; its tables and units of work."""
