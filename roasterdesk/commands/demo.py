"""``roasterdesk demo``: write a deterministic demo database."""

from __future__ import annotations

import argparse
import sys

from ..cli import resolve_db

NAME = "demo"
WRITES = True  # the command line takes the writer lock before run() (cli.main)
HELP = "write deterministic demo data (refuses a database that holds data unless --force)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scale", choices=("small", "roaster", "large"), default="roaster",
        help="small: 30 producers, 300 lots; roaster (default): ten harvests, ~360 producers, "
             "~3,200 lots; large: 10,000 producers, 200,000 lots",
    )
    parser.add_argument("--force", action="store_true",
                        help="replace a database that already holds data")
    parser.add_argument("--seed", type=int, default=None,
                        help="random seed (the same seed gives the same data)")


def run(args: argparse.Namespace) -> int:
    from ..services.demo import DEFAULT_SEED, build_demo

    path = resolve_db(args)
    seed = DEFAULT_SEED if args.seed is None else args.seed
    shown = [-1]

    def progress(done: int, total: int) -> None:
        pct = done * 100 // total if total else 100
        if pct != shown[0]:
            shown[0] = pct
            print(f"\rbuilding {args.scale} demo: {pct:3d} % ({done:,} of {total:,} producers)",
                  end="", file=sys.stderr, flush=True)

    try:
        stats = build_demo(path, args.scale, seed=seed, progress=progress,
                           replace_existing=args.force)
    finally:
        if shown[0] >= 0:
            print(file=sys.stderr)
    size = path.stat().st_size
    print(f"demo database  {path}")
    print(f"scale          {stats.scale} (seed {stats.seed})")
    print(f"built in       {stats.seconds:.1f} s, {size / 1_000_000:.1f} MB")
    for kind, n in stats.counts.items():
        print(f"{kind:<15}{n:>9,}")
    return 0
