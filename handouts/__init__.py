"""handouts: lessons written in YAML, typeset as print-ready PDFs."""

__version__ = "0.1.0"
