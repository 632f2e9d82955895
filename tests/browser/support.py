"""The local web server and browser settings shared by the browser tests and benchmarks/run.py."""

import contextlib
import functools
import http.server
import os
import threading
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))

# The launch flags this machine kind's notes give for headless Chromium as
# root: without the background-networking flags Chromium keeps trying hosts
# it cannot reach.
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # Every host name but 127.0.0.1 fails to resolve inside Chromium. So even a
    # <link rel="preconnect"> to another host, which Playwright's request
    # routes do not intercept, sends nothing off the machine.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _handler_for(site_dir: Path, mount: str):
    """Return a request handler that serves site_dir under the path mount, like GitHub Pages."""

    class SiteHandler(http.server.SimpleHTTPRequestHandler):
        def translate_path(self, path):
            path = urlsplit(path).path
            if not path.startswith(mount):
                return str(site_dir / "__outside_the_site__")
            return super().translate_path("/" + path[len(mount):])

        def send_error(self, code, message=None, explain=None):
            # GitHub Pages serves the site's 404 page for a missing address.
            if code != 404:
                return super().send_error(code, message, explain)
            body = (site_dir / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def log_message(self, format, *args):
            pass

    return functools.partial(SiteHandler, directory=str(site_dir))


@contextlib.contextmanager
def serve(site_dir: Path, mount: str = "/"):
    """Serve a built site on 127.0.0.1 at a free port under mount ("/okta-coder-idp-sync/"); yield its address."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(site_dir, mount))
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{mount}"
    finally:
        server.shutdown()
        server.server_close()
