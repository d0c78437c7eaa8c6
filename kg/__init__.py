"""djkg kg package."""
