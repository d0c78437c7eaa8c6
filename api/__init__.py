"""djkg api package."""
