"""Ingest: find the seed files, decode them, parse articles and their metadata, and sort loose piles into topics."""
