"""Use cases: what a person does with certify, each a function with keyword-only arguments.

Every function takes the `Database` and opens its own unit of work, so no session outlives it.
"""
