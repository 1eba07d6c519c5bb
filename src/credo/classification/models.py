"""Models of the classification app."""
