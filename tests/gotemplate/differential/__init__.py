"""Differential testing of the template engine against Go's (recorded answers of ``tplref``)."""
