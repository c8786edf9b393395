import pytest

from common import make_driver, screenshot


@pytest.fixture
def driver(request):
    d = make_driver()
    yield d
    # Screenshot of the page the test ended on when it failed.
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        print("screenshot:", screenshot(d, request.node.name))
    d.quit()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)
