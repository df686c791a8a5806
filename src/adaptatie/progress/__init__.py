"""DPRA progress per municipality and werkregio (stress test, risk dialogue, strategy, agenda).

``book`` holds :class:`~adaptatie.progress.book.ProgressBook`, stored in :mod:`adaptatie.db`.
"""
