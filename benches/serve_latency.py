#!/usr/bin/env python3
"""Rebuild latency of `treatyline serve`: from writing one article to the reload event.

Starts `treatyline serve --port 0` on a site, subscribes to the reload channel as an open page
does, then edits one article's title several times and measures, for each edit, the time from
the end of the file write to the arrival of the `reload` event that names the article's page.

    cargo build --release
    cargo run --release --example gen_corpus -- --articles 10000 --out corpus10k
    python3 benches/serve_latency.py corpus10k [--runs 10]

The site is edited in place and restored at the end. Not a test: it prints figures.
"""

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BINARY = os.path.join(HERE, "..", "target", "release", "treatyline")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", help="a treatyline site (the folder holding site.yaml)")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--binary", default=BINARY)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for one event")
    args = parser.parse_args()

    articles = os.path.join(args.site, "content", "articles")
    name = sorted(f for f in os.listdir(articles) if f.endswith(".md"))[len(os.listdir(articles)) // 2]
    path = os.path.join(articles, name)
    with open(path, encoding="utf-8") as f:
        original = f.read()
    title = re.search(r'^title: *"?(.*?)"?\s*$', original, re.M)
    if not title:
        sys.exit(f"no title line in {path}")

    started = time.monotonic()
    server = subprocess.Popen(
        [args.binary, "serve", "--port", "0", "--root", args.site],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env={**os.environ, "NO_COLOR": "1"},
    )
    log = []
    port = None
    for line in server.stderr:
        log.append(line)
        m = re.search(r"serving at http://127\.0\.0\.1:(\d+)/", line)
        if m:
            port = int(m.group(1))
            break
    if port is None:
        sys.exit("serve did not start:\n" + "".join(log))
    print(f"first build and start: {time.monotonic() - started:.2f} s")
    threading.Thread(target=lambda: [log.append(l) for l in server.stderr], daemon=True).start()

    events = socket.create_connection(("127.0.0.1", port))
    events.sendall(b"GET /__treatyline/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
    events.settimeout(args.timeout)
    buffer = b""

    def wait_for(pattern):
        nonlocal buffer
        while True:
            m = re.search(pattern, buffer)
            if m:
                buffer = buffer[m.end():]
                return
            chunk = events.recv(65536)
            if not chunk:
                sys.exit("the event stream closed")
            buffer += chunk

    wait_for(rb"event: hello\r?\n")
    # The page the edit shows on: articles/<slug>/, the slug being the file name without its
    # date and extension.
    slug = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", name[: -len(".md")])
    page = re.escape(f"articles/{slug}/index.html".encode())
    figures = []
    rebuilds = []

    def rebuilt_lines():
        return [l for l in list(log) if "rebuilt" in l]

    try:
        for run in range(args.runs):
            # Start each run on a settled server: the previous edit's whole-site rebuild done.
            deadline = time.monotonic() + args.timeout
            while len(rebuilt_lines()) < run and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(0.1)
            new_title = f"Edited for the benchmark, run {run}"
            text = original.replace(title.group(0), f'title: "{new_title}"', 1)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            written = time.monotonic()
            wait_for(rb"event: reload\r?\ndata: [^\r\n]*(\*|" + page + rb")")
            figures.append((time.monotonic() - written) * 1000)
            print(f"run {run + 1}: {figures[-1]:.1f} ms")
        deadline = time.monotonic() + args.timeout
        while len(rebuilt_lines()) < args.runs and time.monotonic() < deadline:
            time.sleep(0.01)
        for line in rebuilt_lines():
            m = re.search(r"in (\d+) ms", line)
            if m:
                rebuilds.append(int(m.group(1)))
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        time.sleep(0.5)
        server.terminate()
        server.wait(timeout=30)
    print(f"edited {os.path.relpath(path, args.site)}")
    print(f"file write -> reload event for the edited page over {len(figures)} runs: "
          f"median {statistics.median(figures):.1f} ms, min {min(figures):.1f} ms, max {max(figures):.1f} ms")
    if rebuilds:
        print(f"then the whole site rebuilt (pages that list the article): median "
              f"{statistics.median(rebuilds)} ms, min {min(rebuilds)} ms, max {max(rebuilds)} ms")
    rebuilt = [l.strip() for l in log if "rebuilt" in l]
    if rebuilt:
        print("serve said, last:", rebuilt[-1])


if __name__ == "__main__":
    main()
