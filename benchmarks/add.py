"""Throughput of `newsbot add` on a 50-item RSS feed served on loopback: pages fetched, read and
saved a second, and the index update after it.

    .venv/bin/python benchmarks/add.py [--items 50]
"""

from __future__ import annotations

import argparse
import functools
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

TOWNS = ["Port Elling", "Carrow", "Kessin", "Halvard", "Brenn", "Osterdal", "Lantern Bay", "Marrow"]
TOPICS = ["ferry timetable", "harbour wall", "school roof", "library hours", "bus depot", "water main"]


def article(number: int) -> tuple[str, str]:
    town, topic = TOWNS[number % len(TOWNS)], TOPICS[number % len(TOPICS)]
    title = f"{town} council approves {topic} plan number {number}"
    paragraphs = [
        f"The {town} council approved the {topic} plan on Tuesday, after {number + 3} months of debate.",
        f"The work will cost {number + 1}.5 million euros and should be finished by {2026 + number % 4}.",
        f"Residents had asked for the {topic} to be fixed since the storms of {2010 + number % 10}.",
        "The mayor said the council would publish the timetable of the works next week.",
    ]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = f"""<!doctype html><html><head><title>{title}</title>
<meta property="og:site_name" content="Coast Courier"><meta property="og:title" content="{title}">
<meta property="article:published_time" content="2025-0{1 + number % 9}-1{number % 10}T08:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/sport">Sport</a></nav><div>Accept all cookies</div>
<main><article><h1>{title}</h1>{body}</article></main><aside>Most read today</aside></body></html>"""
    return title, html


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site, documents, index_dir = Path(tmp) / "site", Path(tmp) / "docs", Path(tmp) / "index"
        site.mkdir()
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        items = []
        for number in range(args.items):
            title, html = article(number)
            (site / f"{number}.html").write_text(html, encoding="utf-8")
            items.append(f"<item><title>{title}</title><link>{base}/{number}.html</link></item>")
        channel = f"<channel><title>Coast Courier</title>{''.join(items)}</channel>"
        feed = f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'
        (site / "feed.xml").write_text(feed, encoding="utf-8")
        where = ["--documents", str(documents), "--index-dir", str(index_dir)]
        command = [sys.executable, "-m", "bot", "add", f"{base}/feed.xml", *where]
        started = time.perf_counter()
        first = subprocess.run(command, capture_output=True, text=True, check=True)
        total = time.perf_counter() - started
        started = time.perf_counter()
        again = subprocess.run(command, capture_output=True, text=True, check=True)
        repeat = time.perf_counter() - started
        server.shutdown()
    print(first.stdout.strip().splitlines()[0], "|", again.stdout.strip().splitlines()[0])
    print(
        f"`newsbot add` of a {args.items}-item feed, index update included: {total:.1f} s "
        f"({args.items / total:.1f} items/s); run again (nothing new): {repeat:.1f} s"
    )


if __name__ == "__main__":
    main()
