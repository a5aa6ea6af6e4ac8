"""Align: the passages several articles share, as reused text (seeds and chains) or as the same statement reworded."""
