"""`python -m devportal COMMAND`: the reference portal's command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from devportal import cli as portal_cli
from devportal import demo, vectors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devportal", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    mint = sub.add_parser("mint-demo", help="write the demo anchor, lists and credentials")
    mint.add_argument("--out", type=Path, required=True, help="folder to write into")
    mint.add_argument("--seed", default="demo", help="seed for the demo keys (default: demo)")
    mint.add_argument("--no-images", action="store_true", help="write texts only, no QR PNGs")
    vec = sub.add_parser("vectors", help="write the published test vectors")
    vec.add_argument("--out", type=Path, required=True, help="folder to write into")
    portal_cli.add_parsers(sub)
    args = parser.parse_args(argv)
    if args.command in portal_cli.COMMANDS:
        return portal_cli.run(args)

    if args.command == "vectors":
        vectors.write(args.out)
        print(f"Wrote the test vectors to {args.out}/")

    if args.command == "mint-demo":
        demo_set = demo.build(args.seed)
        demo.write(demo_set, args.out, images=not args.no_images)
        print(f"Demo trust anchor: {demo_set.anchor_hex}")
        count = len(demo_set.codes)
        print(f"Wrote the signed trust list, revocation list and {count} codes to {args.out}/")
        for c in demo_set.codes:
            expected = c.expected_verdict + (f" ({c.expected_reason})" if c.expected_reason else "")
            print(f"  {c.name:8} {c.label_vi} / {c.label_en}: expect {expected}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
