"""djkg search package."""
