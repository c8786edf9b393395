"""axe-core 4.x on every main page (pages.py): no WCAG 2.1 A/AA violations."""
import pytest

from common import make_driver, run_axe, screenshot, sign_in, submit, url
from fixtures import demo_ids, fill
from pages import ANONYMOUS, FOLLOWED, SIGNED_IN

IDS = None


def ids():
    global IDS
    if IDS is None:
        IDS = demo_ids()
    return IDS


def check(driver, path):
    driver.get(url(fill(path, ids())))
    violations = run_axe(driver)
    if violations:
        screenshot(driver, "axe" + path)
    details = "\n".join(f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes) {[n.get('target') for n in v['nodes']][:3]}" for v in violations)
    assert violations == [], f"{path}:\n{details}"


@pytest.fixture(scope="module")
def visitor():
    d = make_driver()
    yield d
    d.quit()


@pytest.fixture(scope="module")
def admin():
    d = make_driver()
    sign_in(d)
    yield d
    d.quit()


@pytest.mark.parametrize("path", ANONYMOUS)
def test_public_page(visitor, path):
    check(visitor, path)


@pytest.mark.parametrize("path", SIGNED_IN)
def test_signed_in_page(admin, path):
    check(admin, path)


@pytest.mark.parametrize("list_path,prefix", FOLLOWED)
def test_followed_page(admin, list_path, prefix):
    from selenium.webdriver.common.by import By
    admin.get(url(list_path))
    links = [a.get_attribute("href") for a in admin.find_elements(By.CSS_SELECTOR, f"main a[href^='{prefix}']")]
    assert links, f"no link to {prefix} on {list_path}"
    target = links[0].removeprefix(url(""))
    check(admin, target)
    # Where the record has an edit or decision page, check that too.
    for suffix in ("/edit", "/decide"):
        extra = admin.find_elements(By.CSS_SELECTOR, f"main a[href='{target}{suffix}']")
        if extra:
            check(admin, target + suffix)


def test_review_page_as_reviewer(driver):
    from selenium.webdriver.common.by import By
    sign_in(driver, ("bedomare@regionvarmland.example", "demo-Reviewer-Samverka-2026"))
    driver.get(url("/grants/reviews"))
    href = driver.find_element(By.CSS_SELECTOR, "main a[href^='/grants/reviews/']").get_attribute("href")
    check(driver, href.removeprefix(url("")))


def test_form_with_errors_is_accessible(driver):
    sign_in(driver)
    driver.get(url("/organisations/new"))
    submit(driver)
    assert "error-summary" in driver.page_source
    violations = run_axe(driver)
    assert violations == [], violations
