"""The ``crawler`` command line: parse arguments, hand them to the chosen command, return its exit code."""

from __future__ import annotations

import argparse
import importlib
import sys

from crawler import __version__
from crawler.commands import COMMANDS


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crawler", description="Fetch news pages and turn them into clean, normalised article records."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        module = importlib.import_module(f"crawler.commands.{name}")
        sub = subparsers.add_parser(name, help=module.help, description=module.help)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        # Ctrl-C is the user's decision, not a crash: no traceback, the shell's usual exit code.
        print("crawler: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
