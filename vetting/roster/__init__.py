"""Reading roster files into a canonical polars frame."""
