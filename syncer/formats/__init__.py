"""Renderers: typed values in, strings out. Nothing here reads or writes files."""
