"""Source-compare: a static site generator that lines up what several outlets wrote about one event.

Pipeline stages, one module each: :mod:`read` → :mod:`normalise` → :mod:`align`
→ :mod:`compare` → :mod:`render` → :mod:`build`.
"""

__version__ = "0.1.0"
