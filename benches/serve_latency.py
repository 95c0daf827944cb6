#!/usr/bin/env python3
"""Rebuild latency of `treatyline serve`: from writing a file to the reload event.

Starts `treatyline serve --port 0` on a site, subscribes to the reload channel as an open page
does, then measures, from the end of each file write:

- an edit to one article's title: the reload event naming the article's page, then the one
  naming the page of the list of articles that holds it (articles/page/<n>/index.html); that
  page is fetched to check that it shows the new title;
- an edit to a template (a copy of the built-in base.html put in the site's templates/
  before serve starts) and an edit to site.yaml: the reload event that follows (every page
  is made anew).

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

    # A template of the site's own, identical to the built-in one, to be edited while serving.
    templates = os.path.join(args.site, "templates")
    made_templates = not os.path.isdir(templates)
    template = os.path.join(templates, "base.html")
    if os.path.exists(template):
        sys.exit(f"{template} exists: the benchmark needs a site without its own base.html")
    os.makedirs(templates, exist_ok=True)
    with open(os.path.join(HERE, "..", "templates", "base.html"), encoding="utf-8") as f:
        template_text = f.read()
    with open(template, "w", encoding="utf-8") as f:
        f.write(template_text)
    config = os.path.join(args.site, "site.yaml")
    with open(config, encoding="utf-8") as f:
        config_text = f.read()

    articles = os.path.join(args.site, "content", "articles")
    names = sorted(f for f in os.listdir(articles) if f.endswith(".md"))
    name = names[len(names) // 2]
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
                return m
            chunk = events.recv(65536)
            if not chunk:
                sys.exit("the event stream closed")
            buffer += chunk

    def next_reload():
        # The paths a reload event names ("*" for every page).
        return wait_for(rb"event: reload\r?\ndata: ([^\r\n]*)\r?\n").group(1)

    wait_for(rb"event: hello\r?\n")
    # The page the edit shows on: articles/<slug>/, the slug being the file name without its
    # date and extension.
    slug = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", name[: -len(".md")])
    page = re.escape(f"articles/{slug}/index.html".encode())
    # The page of the list of articles that holds it: the list is newest first, in pages of
    # site.yaml's paginate_by (30 unless it says), the files sorted by name being the
    # articles in date order. Checked on the served page; else every page is looked through.
    per_page = re.search(r"(?m)^paginate_by: *(\d+)", config_text)
    per_page = int(per_page.group(1)) if per_page else 30
    number = (len(names) - 1 - names.index(name)) // per_page + 1
    link = f'/articles/{slug}/"'.encode()
    if link not in http_get(port, list_url(number)):
        number = 1
        while link not in http_get(port, list_url(number)):
            number += 1
            if number > len(names):
                sys.exit(f"no page of the list of articles links {slug}")
    listing = re.escape(list_path(number).encode())
    own_figures, list_figures, template_figures, config_figures = [], [], [], []
    rebuilds = []

    def rebuilt_lines():
        return [l for l in list(log) if "rebuilt" in l]

    def settle(count):
        # Start each edit on a settled server: the previous edit's whole-site rebuild done.
        deadline = time.monotonic() + args.timeout
        while len(rebuilt_lines()) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.1)

    def write(path, text):
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return time.monotonic()

    def since(written):
        return (time.monotonic() - written) * 1000

    edits = 0
    try:
        for run in range(args.runs):
            settle(edits)
            new_title = f"Edited for the benchmark, run {run}"
            written = write(path, original.replace(title.group(0), f'title: "{new_title}"', 1))
            edits += 1
            own, listed = None, None
            while own is None or listed is None:
                data = next_reload()
                if own is None and (b"*" in data or re.search(page, data)):
                    own = since(written)
                if listed is None and (b"*" in data or re.search(listing, data)):
                    listed = since(written)
            own_figures.append(own)
            list_figures.append(listed)
            shown = new_title.encode() in http_get(port, list_url(number))
            print(f"article edit {run + 1}: its page {own_figures[-1]:.1f} ms, "
                  f"the pages that list it {list_figures[-1]:.1f} ms"
                  + ("" if shown else " (the list did not show the new title!)"))
        for run in range(args.runs):
            settle(edits)
            written = write(template, template_text + f"<!-- edited for the benchmark, run {run} -->\n")
            edits += 1
            next_reload()
            template_figures.append(since(written))
            print(f"template edit {run + 1}: {template_figures[-1]:.1f} ms")
        for run in range(args.runs):
            settle(edits)
            edited = re.sub(r"(?m)^description:.*$", f'description: "Edited for the benchmark, run {run}"',
                            config_text, count=1)
            written = write(config, edited)
            edits += 1
            next_reload()
            config_figures.append(since(written))
            print(f"site.yaml edit {run + 1}: {config_figures[-1]:.1f} ms")
        settle(edits)
        for line in rebuilt_lines()[: args.runs]:
            m = re.search(r"in (\d+) ms", line)
            if m:
                rebuilds.append(int(m.group(1)))
    finally:
        write(path, original)
        write(config, config_text)
        os.remove(template)
        if made_templates:
            os.rmdir(templates)
        time.sleep(0.5)
        server.terminate()
        server.wait(timeout=30)

    def summary(figures):
        return (f"median {statistics.median(figures):.1f} ms, min {min(figures):.1f} ms, "
                f"max {max(figures):.1f} ms")

    print(f"edited {os.path.relpath(path, args.site)}")
    print(f"file write -> reload event for the edited page over {len(own_figures)} runs: {summary(own_figures)}")
    print(f"file write -> reload event for the pages that list it over {len(list_figures)} runs: {summary(list_figures)}")
    if rebuilds:
        print(f"then the whole site rebuilt: median {statistics.median(rebuilds)} ms, "
              f"min {min(rebuilds)} ms, max {max(rebuilds)} ms")
    print(f"template edit -> reload event over {len(template_figures)} runs: {summary(template_figures)}")
    print(f"site.yaml edit -> reload event over {len(config_figures)} runs: {summary(config_figures)}")
    rebuilt = [l.strip() for l in log if "rebuilt" in l]
    if rebuilt:
        print("serve said, last:", rebuilt[-1])


def list_path(number):
    """The file of a page of the list of articles, by its number from 1."""
    return "articles/index.html" if number == 1 else f"articles/page/{number}/index.html"


def list_url(number):
    """The URL path of a page of the list of articles."""
    return "/" + list_path(number).removesuffix("index.html")


def http_get(port, path):
    """The body of a GET of `path` from the server."""
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data.partition(b"\r\n\r\n")[2]


if __name__ == "__main__":
    main()
