"""The Qt desktop application. Nothing outside this package imports PySide6 at module level.

See :mod:`roasterdesk.ui.context` for the contract pages are written against.
"""
