"""Publish: views of a comparison for readers, and the Markdown pages and JSON data made from them."""
