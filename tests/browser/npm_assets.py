"""Download the pinned npm files that the site and the browser tests load.

Run from the repository root: ``python tests/browser/npm_assets.py [NAME ...]``
with no name fetches every package in PACKAGES. Each package's tarball comes
from the npm registry through ``npm pack``, so npm's own registry settings
apply, and must match the pinned integrity hash. A file that is already in
place with the pinned content is not downloaded again.

The targets are git-ignored: the site's copy of Mermaid is fetched at install
time rather than committed.
"""

import base64
import hashlib
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Package:
    """One file taken from a pinned npm package tarball."""

    name: str
    version: str
    integrity: str  # the tarball's sha512, as `npm view NAME@VERSION dist.integrity` prints it
    member: str  # path of the file inside the tarball
    target: Path  # where the file goes, relative to the repository root
    sha256: str  # hex digest of the file itself, to tell whether the target is current


PACKAGES = {
    # Material for MkDocs 9.8.2 loads mermaid@11 from a CDN unless a global
    # `mermaid` already exists; overrides/main.html loads this copy first.
    "mermaid": Package(
        name="mermaid",
        version="11.17.2",
        integrity="sha512-V6K3C8EBdEsPFZXSKMJe6ppQOENxuHARr9GvHX4hh47lAbhMRD9qf4oEK7LoaRQxULMa80/qt5gHO73aCleBBg==",
        member="package/dist/mermaid.min.js",
        target=Path("docs/javascripts/vendor/mermaid.min.js"),
        sha256="581ed7d74bd9048d0e3a91363927d72ef22942d7722546b27f7cc29e35390eb8",
    ),
    # The accessibility tests inject axe-core into each page.
    "axe-core": Package(
        name="axe-core",
        version="4.14.1",
        integrity="sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
        member="package/axe.min.js",
        target=Path("tests/browser/vendor/axe.min.js"),
        sha256="29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c",
    ),
}


def download_tarball(package: Package) -> bytes:
    """Fetch the package tarball with ``npm pack``, which reads npm's registry settings."""
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit(f"{package.name}@{package.version}: npm is not installed; install Node.js and npm (apt-get install npm)")
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(
            [npm, "pack", f"{package.name}@{package.version}", "--pack-destination", folder, "--silent"],
            capture_output=True, text=True, timeout=300,
        )
        if done.returncode != 0:
            raise SystemExit(f"{package.name}@{package.version}: npm pack failed: {done.stderr.strip().splitlines()[-1:]}")
        (tarball,) = Path(folder).glob("*.tgz")
        return tarball.read_bytes()


def is_current(package: Package) -> bool:
    target = ROOT / package.target
    return target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == package.sha256


def fetch(package: Package) -> None:
    """Download the package tarball, check its integrity and write the one file it is needed for."""
    url = f"{package.name}@{package.version}"
    tarball = download_tarball(package)

    algorithm, _, expected = package.integrity.partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, tarball).digest()).decode()
    if actual != expected:
        raise SystemExit(
            f"{url}: integrity check failed, expected {package.integrity}, got {algorithm}-{actual}; "
            "the registry served another file than the pinned one"
        )

    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        try:
            content = archive.extractfile(package.member).read()
        except KeyError:
            raise SystemExit(f"{url}: {package.member} not found in the tarball") from None

    if hashlib.sha256(content).hexdigest() != package.sha256:
        raise SystemExit(f"{url}: {package.member} does not have the pinned sha256 {package.sha256}")

    target = ROOT / package.target
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    print(f"{package.target}: {package.name}@{package.version} ({len(content):,} bytes)")


def main(names: list[str]) -> None:
    unknown = sorted(set(names) - set(PACKAGES))
    if unknown:
        raise SystemExit(f"unknown package {', '.join(unknown)}; choose from {', '.join(PACKAGES)}")
    for name in names or PACKAGES:
        package = PACKAGES[name]
        if not is_current(package):
            fetch(package)


if __name__ == "__main__":
    main(sys.argv[1:])
