"""Services: model, import and export, the search index; its own tables."""
