"""One strict, in-process build of the site, shared by the page and census tests."""

import pytest

from tests.docs.census import BuildFailed, build_site
from tests.paths import ROOT


@pytest.fixture(scope="session")
def site_build(tmp_path_factory):
    try:
        return build_site(ROOT, tmp_path_factory.mktemp("site"))
    except BuildFailed as error:
        pytest.fail(str(error), pytrace=False)
