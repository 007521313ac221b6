"""The command line: the same services as the GUI, for scripting and automation.

Each module of this package that defines ``register(subparsers)`` adds its sub-commands; a handler has the
signature ``handler(args, ctx: CliContext) -> int``.
"""
