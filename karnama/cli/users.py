"""``python -m karnama users add|remove|list|set-password``: manage accounts on the server.

Passwords are never taken from the command line (they would sit in the shell history and the process list):
they are read twice from a prompt, or, when standard input is not a terminal, from its first two lines.
Every change is written to the audit log under ``cli:<operating-system user>``.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from karnama.access import audit
from karnama.access.auth import ROLES, Account, AccountStore, AuthError
from karnama.core import texts
from karnama.core.counties import COUNTIES
from karnama.core.settings import Settings, load

_NAMES = {c.code: c.name_fa for c in COUNTIES}


def _settings(args) -> Settings:
    return load(Path(args.data_dir) if args.data_dir else None)


def read_password(stdin=None) -> str:
    """The new password, typed twice: from a prompt on a terminal, else the first two lines of standard input."""
    stdin = stdin or sys.stdin
    if stdin.isatty():
        first = getpass.getpass("Password: ")
        second = getpass.getpass("Repeat password: ")
    else:
        first = stdin.readline().rstrip("\r\n")
        second = stdin.readline().rstrip("\r\n")
    if first != second:
        raise AuthError(texts.AUTH_PASSWORD_MISMATCH)
    return first


def _record(settings: Settings, event: str, **details) -> None:
    problem = audit.try_record(event, audit.cli_account(), settings=settings, **details)
    if problem:  # the account change is made; say that it is not in the log
        print(f"warning: {problem}", file=sys.stderr)


def cmd_add(args) -> int:
    settings = _settings(args)
    store = AccountStore(settings)
    account = store.add(args.name, args.role, args.county or (), read_password())
    _record(settings, "user_add", target=account.name, role=account.role, counties=list(account.counties))
    print(
        f"added {account.name} ({account.role}{': ' + ', '.join(account.counties) if account.counties else ''})"
        f" to {store.store.safe_url()}"
    )
    return 0


def cmd_remove(args) -> int:
    settings = _settings(args)
    store = AccountStore(settings)
    store.remove(args.name)
    _record(settings, "user_remove", target=args.name.strip().lower())
    print(f"removed {args.name.strip().lower()}")
    return 0


def cmd_set_password(args) -> int:
    settings = _settings(args)
    store = AccountStore(settings)
    if store.get(args.name) is None:  # ask for no password for an account that is not there
        raise AuthError(texts.AUTH_NO_SUCH_ACCOUNT.format(name=args.name[:64]))
    store.set_password(args.name, read_password())
    _record(settings, "user_password", target=args.name.strip().lower())
    print(f"password of {args.name.strip().lower()} changed; its open sessions end")
    return 0


def cmd_list(args) -> int:
    settings = _settings(args)
    accounts = AccountStore(settings).list()
    if args.json:
        print(json.dumps([a.public() for a in accounts], ensure_ascii=False, indent=2))
        return 0
    if not accounts:
        print("no accounts")
    for a in accounts:
        where = ", ".join(f"{c} {_NAMES.get(c, '')}".strip() for c in a.counties)
        print(f"{a.name:24} {a.role:9} {where or '(all counties)'}  created {a.created_utc[:19]}")
    return 0


def register(subparsers, common: argparse.ArgumentParser) -> None:
    """Add ``users`` and its subcommands to the main parser (cli.EXTENSIONS)."""
    p = subparsers.add_parser("users", help="manage accounts (admin, province, county)")
    sub = p.add_subparsers(dest="users_command", required=True)

    a = sub.add_parser("add", parents=[common], help="add an account; the password is read twice from a prompt/stdin")
    a.add_argument("name", help="account name: Latin letters, digits, . _ -")
    a.add_argument(
        "--role",
        required=True,
        choices=ROLES,
        help="admin: everything incl. import/publish/rollback; province: read all; county: its counties",
    )
    a.add_argument(
        "--county",
        nargs="+",
        action="extend",
        metavar="NAME_OR_CODE",
        help="the county account's counties (code or name), e.g. --county NEY 'تربت حیدریه'",
    )
    a.set_defaults(func=cmd_add)

    r = sub.add_parser("remove", parents=[common], help="remove an account (its sessions end)")
    r.add_argument("name")
    r.set_defaults(func=cmd_remove)

    s = sub.add_parser("set-password", parents=[common], help="set a new password, read twice from a prompt/stdin")
    s.add_argument("name")
    s.set_defaults(func=cmd_set_password)

    ls = sub.add_parser("list", parents=[common], help="list accounts (never their hashes)")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_list)


def account_for(data_dir: str | None, name: str) -> Account:
    """The account named on the command line (``kpis --user``); no password is asked, since the CLI runs on the
    server by staff who own the data directory; an unknown name is an error."""
    account = AccountStore(load(Path(data_dir) if data_dir else None)).get(name)
    if account is None:
        raise AuthError(texts.AUTH_NO_SUCH_ACCOUNT.format(name=str(name)[:64]))
    return account
