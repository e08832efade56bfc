"""The web UI (``parley serve``): FastAPI and Jinja2 over a Parley store, read-only by default.

:func:`parley.web.app.create_app` returns the ASGI app; :mod:`parley.web.queries` is its read path.
Nothing is imported here, so that the verification worker (``python -m parley.web.verification``)
starts without loading the web framework.
"""
