"""The database itself: engine and sessions from a URL, the shared metadata, migrations.

db/ knows none of our tables: the packages that own tables register them on `Base`.
"""
