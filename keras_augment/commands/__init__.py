"""Subcommands of the `keras-augment` command line, one module each."""
