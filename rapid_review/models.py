"""Models of the rapid_review app."""
