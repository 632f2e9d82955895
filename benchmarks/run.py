"""Measure the site's build time, test suite time, page weight and Lighthouse scores.

Run from the repository root with `make benchmark`, or
`.venv/bin/python benchmarks/run.py [--runs N] [--test-runs N] [--lighthouse-runs N]`.
It prints Markdown tables for docs/benchmarks.md and writes every sample to
benchmarks/.work/results.json.

The comparison site ("plain Material") is the same Markdown built with
Material's defaults: the same theme features, palette, nav and Markdown
extensions, without the macros plugin, the template override
(overrides/), the extra JavaScript and the block census. Its pages keep their
macro calls unrendered, which makes them a few hundred bytes shorter.

Everything runs against 127.0.0.1. Requests the pages make to other hosts
(Google Fonts, GitHub's API, and for the plain site Mermaid from its CDN) get
local stub responses, as in the browser tests. The plain site's Mermaid
request gets the same pinned mermaid.min.js that this site serves, because
that is the file `mermaid@11` resolved to when it was pinned.
"""

import argparse
import gzip
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.external import stubbed_response  # noqa: E402
from tests.browser.support import CHROMIUM, CHROMIUM_FLAGS, DESKTOP, serve  # noqa: E402

WORK = ROOT / "benchmarks" / ".work"
MERMAID = ROOT / "docs" / "javascripts" / "vendor" / "mermaid.min.js"
LIGHTHOUSE_VERSION = "12.2.3"  # the last release that runs on Node 20
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def machine() -> dict:
    """Describe the machine the figures come from."""
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kilobytes = int(meminfo.read_text().split("\n")[0].split()[1])
        memory = f"{kilobytes / 1024 / 1024:.0f} GiB"
    chromium = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "chromium": chromium,
        "load_average_at_start": os.getloadavg(),
    }


def plain_config(site_dir: Path) -> Path:
    """Write the plain Material configuration for the same Markdown; return its path."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.Loader)
    config["theme"].pop("custom_dir", None)
    config.pop("extra_javascript", None)
    config["plugins"] = ["search"]
    config["docs_dir"] = str(ROOT / "docs")
    config["site_dir"] = str(site_dir)
    # Unrendered macro calls leave links and anchors the checks cannot resolve.
    config["strict"] = False
    path = WORK / "mkdocs-plain.yml"
    path.write_text(yaml.dump(config, sort_keys=False))
    return path


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=ENV, check=True, capture_output=True)
    return time.perf_counter() - started


def build_times(runs: int, ours_dir: Path, plain_dir: Path) -> dict:
    """Time `mkdocs build --strict` of this site and the plain build, alternating, runs times each."""
    mkdocs = str(ROOT / ".venv" / "bin" / "mkdocs")
    plain = plain_config(plain_dir)
    ours_samples, plain_samples = [], []
    for _ in range(runs):
        ours_samples.append(timed([mkdocs, "build", "--strict", "--quiet", "--site-dir", str(ours_dir)]))
        plain_samples.append(timed([mkdocs, "build", "--quiet", "--config-file", str(plain)]))
    return {
        "ours": ours_samples,
        "plain": plain_samples,
        "ratio": median(ours_samples) / median(plain_samples),
    }


def test_times(runs: int) -> dict:
    """Time the test suite without and with the browser tests, and with them on 2 workers, runs times each."""
    python = str(ROOT / ".venv" / "bin" / "python")
    base = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    variants = {
        "without_browser": [*base, "--ignore=tests/browser"],
        "with_browser": base,
        "with_browser_2_workers": [*base, "-n", "2", "--dist", "loadgroup"],
    }
    samples = {name: [] for name in variants}
    for _ in range(runs):
        for name, command in variants.items():
            samples[name].append(timed(command))
    return samples


def page_weights(browser, base_url: str, pages: list[str]) -> dict[str, dict]:
    """Load each page once in a fresh context; return the bytes of every response, raw and gzip-compressed."""
    mermaid = MERMAID.read_bytes()
    local = urlsplit(base_url)
    weights = {}
    for page in pages:
        context = browser.new_context(viewport=DESKTOP)

        def route(route):
            url = route.request.url
            parts = urlsplit(url)
            if (parts.scheme, parts.netloc) == (local.scheme, local.netloc):
                return route.continue_()
            if "/mermaid" in parts.path and parts.path.endswith(".js"):
                return route.fulfill(status=200, content_type="text/javascript", body=mermaid)
            stub = stubbed_response(url)
            if stub is not None:
                status, content_type, body = stub
                return route.fulfill(status=status, content_type=content_type, body=body)
            return route.abort("blockedbyclient")

        context.route("**/*", route)
        browser_page = context.new_page()
        bodies = []
        browser_page.on("requestfinished", lambda request: bodies.append(request))
        browser_page.goto(base_url + page, wait_until="networkidle")
        raw = compressed = 0
        for request in bodies:
            response = request.response()
            if response is None or not response.ok:
                continue
            body = response.body()
            raw += len(body)
            compressed += len(gzip.compress(body, compresslevel=6))
        weights[page] = {"requests": len(bodies), "raw": raw, "gzip": compressed}
        context.close()
    return weights


def site_pages(site_dir: Path) -> list[str]:
    """Return every page's path under the site root ("", "guides/okta-groups/"), without the 404 page."""
    pages = []
    for index in sorted(site_dir.rglob("index.html")):
        relative = index.parent.relative_to(site_dir).as_posix()
        if relative.startswith(("assets", "search")):
            continue
        pages.append("" if relative == "." else relative + "/")
    return pages


def lighthouse(base_url: str, page: str, runs: int, name: str) -> dict | None:
    """Run Lighthouse on one page runs times, keeping reports as name-N.json; return the scores, or None with the reason printed."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        print("Lighthouse skipped: Node.js and npm are not installed", file=sys.stderr)
        return None
    prefix = WORK / "lighthouse"
    binary = prefix / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        prefix.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--no-save", "--silent", "--prefix", str(prefix), f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True)

    # CHROMIUM_FLAGS make every host name but 127.0.0.1 fail to resolve, so nothing leaves the machine.
    flags = CHROMIUM_FLAGS
    scores = {"performance": [], "accessibility": []}
    for run in range(runs):
        report = WORK / f"lighthouse-{name}-{run}.json"
        subprocess.run(
            [str(binary), base_url + page, "--quiet", "--only-categories=performance,accessibility",
             "--output=json", f"--output-path={report}", f"--chrome-flags={' '.join(flags)}"],
            check=True, env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
        )
        result = json.loads(report.read_text())
        for category in scores:
            scores[category].append(round(result["categories"][category]["score"] * 100))
    return scores


def report(results: dict) -> str:
    """Format the results as the Markdown tables of docs/benchmarks.md."""
    lines = []
    m = results["machine"]
    lines += [
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory']}, {m['os']}, Python {m['python']}, {m['chromium']}.",
        f"Load average when the run started: {', '.join(f'{value:.2f}' for value in m['load_average_at_start'])}.",
        "",
    ]

    build = results["build"]
    lines += [
        "| Build | median (s) | runs (s) |",
        "| --- | --- | --- |",
        f"| `mkdocs build --strict`, this site | {median(build['ours']):.2f} | {', '.join(f'{v:.2f}' for v in build['ours'])} |",
        f"| plain Material build of the same Markdown | {median(build['plain']):.2f} | {', '.join(f'{v:.2f}' for v in build['plain'])} |",
        f"| ratio (goal at most 1.3) | {build['ratio']:.2f} | |",
        "",
    ]

    if "tests" in results:
        tests = results["tests"]
        lines += [
            "| Test suite | median (s) | runs (s) | goal (s) |",
            "| --- | --- | --- | --- |",
            f"| without browser tests | {median(tests['without_browser']):.1f} | {', '.join(f'{v:.1f}' for v in tests['without_browser'])} | 20 |",
            f"| with browser tests (`make test`) | {median(tests['with_browser']):.1f} | {', '.join(f'{v:.1f}' for v in tests['with_browser'])} | 60 |",
            f"| with browser tests, `-n 2 --dist loadgroup` | {median(tests['with_browser_2_workers']):.1f} "
            f"| {', '.join(f'{v:.1f}' for v in tests['with_browser_2_workers'])} | 60 |",
            "",
        ]

    weights = results["weights"]
    lines += [
        "| Page weight | this site, gzip (KiB) | plain Material, gzip (KiB) | ratio (goal at most 1.10) | this site, uncompressed (KiB) | requests |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for label, page in (("home page", weights["home"]), ("heaviest page", weights["heaviest"])):
        ours, plain = weights["ours"][page], weights["plain"][page]
        lines.append(
            f"| {label} (`/{page}`) | {ours['gzip'] / 1024:.0f} | {plain['gzip'] / 1024:.0f} | {ours['gzip'] / plain['gzip']:.2f} "
            f"| {ours['raw'] / 1024:.0f} | {ours['requests']} |"
        )
    lines.append("")

    if results.get("lighthouse"):
        lines += [
            "| Lighthouse 12.2.3 (mobile preset) | performance, median (runs) | accessibility, median (runs) |",
            "| --- | --- | --- |",
        ]
        for label, scores in results["lighthouse"].items():
            lines.append(
                f"| {label} | {median(scores['performance']):.0f} ({', '.join(map(str, scores['performance']))}) "
                f"| {median(scores['accessibility']):.0f} ({', '.join(map(str, scores['accessibility']))}) |"
            )
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="builds of each site to time (default 5)")
    parser.add_argument("--test-runs", type=int, default=3, help="runs of each test suite variant to time; 0 skips them (default 3)")
    parser.add_argument("--lighthouse-runs", type=int, default=3, help="Lighthouse runs per page; 0 skips Lighthouse (default 3)")
    options = parser.parse_args()

    from playwright.sync_api import sync_playwright

    WORK.mkdir(parents=True, exist_ok=True)
    results = {"machine": machine()}
    site_url = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.Loader)["site_url"]
    mount = urlsplit(site_url).path

    with tempfile.TemporaryDirectory() as scratch:
        ours_dir, plain_dir = Path(scratch) / "ours", Path(scratch) / "plain"
        results["build"] = build_times(options.runs, ours_dir, plain_dir)

        with serve(ours_dir, mount) as ours_url, serve(plain_dir, mount) as plain_url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
            pages = site_pages(ours_dir)
            ours = page_weights(browser, ours_url, pages)
            plain = page_weights(browser, plain_url, pages)
            browser.close()
            heaviest = max(pages, key=lambda page: ours[page]["gzip"])
            results["weights"] = {"ours": ours, "plain": plain, "home": "", "heaviest": heaviest}

            if options.lighthouse_runs:
                scores = {}
                for label, url, page, name in (
                    ("home page, this site", ours_url, "", "home"),
                    ("home page, plain Material", plain_url, "", "home-plain"),
                    (f"heaviest page (`/{heaviest}`), this site", ours_url, heaviest, "heaviest"),
                ):
                    result = lighthouse(url, page, options.lighthouse_runs, name)
                    if result is None:
                        break
                    scores[label] = result
                results["lighthouse"] = scores

    if options.test_runs:
        results["tests"] = test_times(options.test_runs)

    results["machine"]["load_average_at_end"] = os.getloadavg()
    (WORK / "results.json").write_text(json.dumps(results, indent=2))
    print(report(results))
    print(f"Load average when the run ended: {', '.join(f'{value:.2f}' for value in results['machine']['load_average_at_end'])}.")


if __name__ == "__main__":
    main()
