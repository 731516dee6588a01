"""`python -m convene COMMAND`: the command line.

Each subcommand imports what it needs only when it runs, so `convene tally` starts fast
without loading Flask or SQLAlchemy.
"""

from __future__ import annotations

import argparse
import sys


def _tally(argv: list[str]) -> int:
    from convene.tallycli import main as tally_main

    return tally_main(argv)


def _db(argv: list[str]) -> int:
    from convene.store.migrate import main as db_main

    return db_main(argv)


def _run(argv: list[str]) -> int:
    from convene.serve import run_dev

    return run_dev(argv)


def _serve(argv: list[str]) -> int:
    from convene.serve import run_production

    return run_production(argv)


def _export(argv: list[str]) -> int:
    from convene.exports.archive import main_export

    return main_export(argv)


def _import(argv: list[str]) -> int:
    from convene.exports.archive import main_import

    return main_import(argv)


COMMANDS = {
    "tally": (_tally, "count a ballot file (BLT or CSV) and explain the result"),
    "db": (_db, "database schema: `db upgrade` applies the migrations"),
    "run": (_run, "development server (HOST, PORT)"),
    "serve": (_serve, "production server: gunicorn with an eventlet or gevent worker"),
    "export": (_export, "write a whole convening as JSON: `export CODE > file.json`"),
    "import": (_import, "read a convening written by `export` (`--new-code CODE`)"),
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS:
        parser = argparse.ArgumentParser(prog="python -m convene")
        parser.add_argument("command", choices=sorted(COMMANDS))
        usage = "\n".join(f"  {name:<7} {help_}" for name, (_, help_) in COMMANDS.items())
        if argv and argv[0] in ("-h", "--help"):
            print(f"usage: python -m convene COMMAND [ARGS]\n\ncommands:\n{usage}")
            return 0
        print(f"usage: python -m convene COMMAND [ARGS]\n\ncommands:\n{usage}", file=sys.stderr)
        return 2
    handler, _ = COMMANDS[argv[0]]
    return handler(argv[1:])
