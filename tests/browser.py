"""Helpers for the end-to-end browser tests: a quiet local static server and headless Chromium.

Everything stays on 127.0.0.1: the server binds there on a free port, and Chromium is Debian's
(`/usr/bin/chromium`), launched with background networking switched off. Nothing is downloaded.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOST = "127.0.0.1"

# charts.js draws a chart only when it comes near the screen: bring each into view in turn, then go back
# to the top.
SCROLL_THROUGH = """async () => {
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  for (const view of document.querySelectorAll('.cp-chart__view')) { view.scrollIntoView(); await frame(); }
  window.scrollTo(0, 0);
  await frame();
}"""


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves a folder without logging every request to stderr; like GitHub Pages, under a sub-path
    (`prefix`, e.g. "/cyberpower/") if given, and with the folder's 404.html for a missing file."""

    timeout = 10  # seconds; an idle connection (a browser's preconnect) cannot hold up server_close()
    prefix = "/"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "\0outside")  # no such file: a 404
        return super().translate_path("/" + path.removeprefix(self.prefix))

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def serve(folder: Path, prefix: str = "/") -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 at a free port under `prefix`, in a thread; yields the base URL (with
    a final /)."""
    handler = partial(type("Handler", (_QuietHandler,), {"prefix": prefix}), directory=str(folder))
    server = ThreadingHTTPServer((HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="static-site", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def launch_chromium(playwright: Any) -> Any:
    """Debian's headless Chromium, launched by Playwright (never a downloaded browser)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
