"""Accounts: users stored in the ledger database, each with one role.

``roles`` (who may do what), ``models`` (the ORM tables of migration ``0004_accounts``),
``store`` (add, list, change role, reset password, remove, log in, sessions), ``throttle`` (the
brake on password guessing) and ``settings`` (public reading, session lifetime). Passwords are
scrypt hashes made by :func:`adaptatie.finance.auth.hash_password`; plain passwords are never
stored or logged.
"""
