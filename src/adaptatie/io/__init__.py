"""Input/output: the only package code that reads source files from disk."""
