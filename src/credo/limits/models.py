"""Models of the limits app."""
