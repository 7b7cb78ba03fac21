"""``riconnect.domain``: the pure rules (accounts and the accounts file, errors, transitions), no
store, no HTTP.
"""
