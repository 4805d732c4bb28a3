"""The review page: go through mtclean's proposals one by one in a local browser page."""
