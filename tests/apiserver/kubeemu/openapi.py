"""Minimal OpenAPI documents (placeholder)."""
from . import errors as E


def serve(registry, path, req):
    raise E.not_found_path()
