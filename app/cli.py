"""The `chaindock` command: serve, migrate, seed-demo, create-token, purge-idempotency-keys,
export-matches, openapi."""

import argparse
import json
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.orm import Session

from app.auth.repository import find_account_by_email
from app.auth.service import issue_token
from app.config import get_settings
from app.db.session import get_engine, writer_bind
from app.idempotency.service import purge_expired
from app.models import Account, Enterprise
from app.models.enums import Role, TokenScope

ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"


def migrate(_: argparse.Namespace) -> None:
    config = Config(str(ALEMBIC_INI))
    with get_engine().begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    print(f"database at head: {get_settings().database_url}")


def seed_demo(args: argparse.Namespace) -> None:
    from app.demo.seed import seed_demo as run_seed

    with Session(writer_bind(get_engine())) as session:
        if args.if_empty and session.query(Enterprise.id).first() is not None:
            print("demo data: the database already has enterprises; left as it is")
            return
        summary = run_seed(session, seed=args.seed)
        session.commit()
    print("demo data loaded: " + ", ".join(f"{n} {what}" for what, n in summary.items()))


def create_token(args: argparse.Namespace) -> None:
    role = Role(args.role)
    longest = get_settings().token_max_ttl_days
    if not 1 <= args.days <= longest:
        sys.exit(f"--days must be from 1 to {longest} (CHAINDOCK_TOKEN_MAX_TTL_DAYS)")
    with Session(writer_bind(get_engine())) as session:
        if role is Role.member and (
            args.enterprise_id is None or session.get(Enterprise, args.enterprise_id) is None
        ):
            sys.exit("a member token needs --enterprise-id of an existing enterprise")
        account = find_account_by_email(session, args.email) if args.email else None
        if account is not None and account.role is not role:
            sys.exit(
                f"the account {args.email} exists with role {account.role.value}, not {role.value}"
            )
        if account is None:
            account = Account(
                name=args.name,
                email=args.email,
                role=role,
                enterprise_id=args.enterprise_id if role is Role.member else None,
            )
            session.add(account)
            session.flush()
        scopes = tuple(TokenScope(s) for s in args.scope) if args.scope else tuple(TokenScope)
        _, secret = issue_token(session, account, args.name, args.days, scopes)
        session.commit()
    if args.print_banner:
        print(
            f"\n  {role.value} token (shown once, valid {args.days} days, scopes "
            f"{', '.join(s.value for s in scopes)}):\n\n    {secret}\n\n"
            f"  try: curl -H 'Authorization: Bearer {secret}' http://127.0.0.1:8000/v1/me\n"
            "  docs: http://127.0.0.1:8000/docs\n"
        )
    else:
        print(secret)


def purge_idempotency_keys(_: argparse.Namespace) -> None:
    with Session(writer_bind(get_engine())) as session:
        purged = purge_expired(session)
        session.commit()
    hours = get_settings().idempotency_key_ttl_hours
    print(f"{purged} idempotency keys older than {hours} hours deleted")


def export_matches(args: argparse.Namespace) -> None:
    from dataclasses import replace

    from app.core.clock import today
    from app.db.types import utcnow
    from app.events.exports import csv_bytes, xlsx_bytes
    from app.matching.batch import default_workers
    from app.matching.dependencies import default_options
    from app.matching.keeper import MatchKeeper
    from app.matching.sheet import match_sheet

    out = Path(args.out)
    if out.suffix not in (".csv", ".xlsx"):
        sys.exit(f"--out must name a .csv or .xlsx file, not {args.out}")
    if not 1 <= args.top <= 100:
        sys.exit("--top must be from 1 to 100")
    workers = default_workers() if args.workers is None else args.workers
    if not 1 <= workers <= 64:
        sys.exit("--workers must be from 1 to 64")
    day, database = today(), get_engine()
    with Session(database) as session:
        engine = MatchKeeper().current(session, day)
    database.dispose()  # the forked workers must not share its connections
    options = replace(default_options(), top=args.top)
    sheet = match_sheet(engine, options, now=utcnow(), today=day, workers=workers)
    out.write_bytes(csv_bytes(sheet) if out.suffix == ".csv" else xlsx_bytes([sheet]))
    requirements = len({row[0] for row in sheet.rows})
    bare = sum(1 for row in sheet.rows if row[3] is None)
    print(
        f"{out}: {len(sheet.rows)} rows for {requirements} open requirements "
        f"({bare} with no capability that fits)"
    )


def serve(args: argparse.Namespace) -> None:
    import uvicorn

    from app.web.logs import uvicorn_log_config

    settings = get_settings()
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=True,  # client addresses from X-Forwarded-For of FORWARDED_ALLOW_IPS
        log_config=uvicorn_log_config(settings.log_level, settings.log_format),
        access_log=False,  # the app writes its own access log, with request ids
        # On SIGTERM stop accepting, let requests in flight finish for this long, then run the
        # app's shutdown (which closes the database pool).
        timeout_graceful_shutdown=settings.graceful_shutdown_seconds,
    )


def openapi(_: argparse.Namespace) -> None:
    from app.main import create_app

    print(render_openapi(create_app().openapi()))


def render_openapi(document: dict[str, object]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="chaindock", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("serve", help="serve the API with uvicorn")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1)
    p.set_defaults(func=serve)

    p = commands.add_parser("migrate", help="bring the database schema to the latest revision")
    p.set_defaults(func=migrate)

    p = commands.add_parser("seed-demo", help="load a deterministic demo docking season")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--if-empty", action="store_true", help="do nothing if enterprises exist")
    p.set_defaults(func=seed_demo)

    p = commands.add_parser("create-token", help="create an account and print an API token for it")
    p.add_argument("--role", choices=[r.value for r in Role], default=Role.admin.value)
    p.add_argument("--name", default="cli")
    p.add_argument("--email", help="reuse the account with this email if it exists")
    p.add_argument("--enterprise-id", type=int)
    p.add_argument("--days", type=int, default=30)
    p.add_argument(
        "--scope",
        action="append",
        choices=[s.value for s in TokenScope],
        help="what the token may do; repeat for several (default: read, write and admin)",
    )
    p.add_argument("--print-banner", action="store_true")
    p.set_defaults(func=create_token)

    p = commands.add_parser(
        "purge-idempotency-keys",
        help="delete Idempotency-Keys older than CHAINDOCK_IDEMPOTENCY_KEY_TTL_HOURS (run from cron)",
    )
    p.set_defaults(func=purge_idempotency_keys)

    p = commands.add_parser(
        "export-matches",
        help="write the season's match sheet: each open requirement's best capabilities",
    )
    p.add_argument("--out", required=True, help="a .csv or .xlsx file to write")
    p.add_argument("--top", type=int, default=10, help="capabilities per requirement (1-100)")
    p.add_argument("--workers", type=int, help="processes that match (default: one per CPU)")
    p.set_defaults(func=export_matches)

    p = commands.add_parser("openapi", help="print the OpenAPI document")
    p.set_defaults(func=openapi)

    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
