"""Analyse: word-by-word differences and their kinds, translation artifacts and fact relations of aligned passages."""
