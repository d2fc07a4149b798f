"""The command line: `circuitgrad eval EXPR name=value ...` and `circuitgrad serve`."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Sequence
from typing import Any

from .errors import CircuitError, InputError
from .lang import DEFAULT_LANG, LANGUAGES
from .numformat import format_tensor
from .step_words import OUTPUT


def _parse_value(text: str, name: str) -> Any:
    """A CLI value: a number, or a JSON nested list such as [[1,2],[3,4]]."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        raise InputError("cli_value", input=name, name=name, text=text[:40]) from None
    return value


def _parse_assignments(pairs: Sequence[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep or not name:
            raise InputError("cli_pair", text=pair[:40])
        values[name.strip()] = _parse_value(text.strip(), name.strip())
    return values


def _table(result: Any) -> str:
    rows = [(OUTPUT(result.lang), format_tensor(result.value))]
    rows += [(f"∂/∂{name}", format_tensor(grad)) for name, grad in result.gradients.items()]
    width = max(_width(name) for name, _ in rows)
    return "\n".join(f"{name}{' ' * (width - _width(name))}  {text}" for name, text in rows)


def _width(text: str) -> int:
    """Columns a terminal gives `text`: a CJK character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _eval(args: argparse.Namespace) -> int:
    from .result import evaluate

    try:
        values = _parse_assignments(args.values)
        result = evaluate(args.expression, values, expand=args.expand, lang=args.lang)
    except CircuitError as error:
        print(error.render(), file=sys.stderr)  # noqa: T201 - the CLI's output
        return 2
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))  # noqa: T201
    elif args.dot:
        print(result.to_dot().source)  # noqa: T201
    elif args.code:
        print(result.staged_code(), end="")  # noqa: T201
    elif args.steps:
        for step in result.steps:
            print(f"{'→' if step['phase'] == 'forward' else '←'} {step['text']}")  # noqa: T201
    else:
        print(_table(result))  # noqa: T201
        for warning in result.warnings:
            print(f"warning: {warning}", file=sys.stderr)  # noqa: T201
    return 0


def _serve(args: argparse.Namespace) -> int:
    from .api.server import serve

    serve(host=args.host, port=args.port, workers=args.workers, reload=args.reload)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and --help)."""
    parser = argparse.ArgumentParser(prog="circuitgrad", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("eval", help="evaluate an expression and print its gradients")
    run.add_argument("expression", help='e.g. "(x+y)*z"')
    run.add_argument("values", nargs="*", help="name=value, e.g. x=-2 or W=[[1,2],[3,4]]")
    run.add_argument("--expand", action="store_true", help="expand composites (sigmoid...)")
    run.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANG,
                     help="the language of the step texts (default: en; zh-CN: 简体中文)")
    output = run.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the API's JSON")
    output.add_argument("--dot", action="store_true", help="print the Graphviz DOT")
    output.add_argument("--steps", action="store_true",
                        help="print every step: the forward pass, then the backward pass")
    output.add_argument("--code", action="store_true",
                        help="print the forward and backward pass as staged Python/numpy code")
    run.set_defaults(handler=_eval)

    serve = commands.add_parser("serve", help="serve the page and the REST API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=None,
                       help="worker processes (default: $WEB_CONCURRENCY or 1)")
    serve.add_argument("--reload", action="store_true", help="restart on code changes")
    serve.set_defaults(handler=_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `circuitgrad` command."""
    args = build_parser().parse_args(argv)
    code: int = args.handler(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
