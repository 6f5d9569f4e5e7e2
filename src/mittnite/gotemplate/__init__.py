"""A self-contained implementation of Go's text/template with sprig v3.3.0 functions."""
