"""`newsdigest db`: create, upgrade, downgrade and inspect the database schema."""

from __future__ import annotations

import argparse
import asyncio

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import Settings, mask_url_password
from store import migrate
from store.database import create_engine, create_sessionmaker
from store.models import Article, Chat, Feed


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="db_action", metavar="ACTION", required=True)
    actions.add_parser(
        "upgrade", help="apply pending migrations (every command does this on start)"
    )
    down = actions.add_parser(
        "downgrade", help='revert to an older revision ("base" removes every table)'
    )
    down.add_argument("revision", help="target revision id, or base")
    down.add_argument(
        "--drop-data",
        action="store_true",
        help="required when the downgrade would drop tables that hold data",
    )
    actions.add_parser("current", help="show the schema revision and row counts")


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    engine = create_engine(settings.database_url)
    where = mask_url_password(settings.database_url)
    try:
        if args.db_action == "upgrade":
            before, after = await migrate.upgrade(engine)
            if before == after:
                print(f"{where}: already at revision {after}")
            else:
                print(f"{where}: upgraded {before or '(empty)'} → {after}")
        elif args.db_action == "downgrade":
            if args.revision == "base" and not args.drop_data and await _holds_data(engine):
                print(
                    f"newsdigest: {where} holds feeds, articles or chats; downgrading to base would "
                    "delete them. Back the database up, then add --drop-data."
                )
                return 2
            before, after = await migrate.downgrade(engine, args.revision)
            print(f"{where}: downgraded {before} → {after or '(empty)'}")
        else:
            current = await migrate.current_revision(engine)
            head = migrate.head_revision()
            state = "up to date" if current == head else f"behind (head is {head})"
            print(f"{where}: revision {current or '(empty)'}, {state}")
    finally:
        await engine.dispose()
    return 0


async def _holds_data(engine: AsyncEngine) -> bool:
    if await migrate.current_revision(engine) is None:
        return False
    async with create_sessionmaker(engine)() as session:
        for model in (Feed, Article, Chat):
            if await session.scalar(select(func.count()).select_from(model)):
                return True
    return False


def run(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(_run(args, settings))
