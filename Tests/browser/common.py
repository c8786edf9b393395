"""Shared helpers for the browser suites: a headless Chromium driven by Selenium, sign-in, and axe-core."""
import datetime
import glob
import json
import os
import pathlib

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BASE_URL = os.environ.get("SAMVERKA_URL", "http://127.0.0.1:8080").rstrip("/")
ROOT = pathlib.Path(__file__).resolve().parents[2]
SHOTS = pathlib.Path(os.environ.get("SAMVERKA_SCREENSHOTS", ROOT / ".test-output" / "screenshots"))

ADMIN = ("admin@samverka.example", "demo-Admin-Samverka-2026")
OFFICIAL = ("tjansteperson@regionvarmland.example", "demo-Official-Samverka-2026")
# A second official of the body: attests what OFFICIAL decided (separation of duties).
FINANCE = ("ekonom@regionvarmland.example", "demo-Finance-Samverka-2026")
REPRESENTATIVE = ("foretradare@funktionsratt-varmland.example", "demo-Representative-Samverka-2026")


def swedish_today():
    """The day it is in Sweden, which is the day the server dates things by (LocalDate.today in Europe/Stockholm).
    The machine's own date differs from it for an hour or two around midnight."""
    try:
        from zoneinfo import ZoneInfo
        return datetime.datetime.now(ZoneInfo("Europe/Stockholm")).date()
    except Exception:  # no time-zone database: the server then falls back to UTC as well
        return datetime.datetime.now(datetime.timezone.utc).date()


def make_driver():
    opts = webdriver.ChromeOptions()
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=sv-SE"):
        opts.add_argument(a)
    opts.add_experimental_option("prefs", {"intl.accept_languages": "sv-SE,sv"})
    opts.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


def url(path):
    return BASE_URL + path


def screenshot(driver, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)[:120]
    path = SHOTS / f"{safe}.png"
    driver.save_screenshot(str(path))
    return path


def sign_in(driver, who=ADMIN):
    driver.get(url("/sign-in"))
    driver.find_element(By.ID, "f-email").send_keys(who[0])
    driver.find_element(By.ID, "f-password").send_keys(who[1])
    submit(driver)
    assert "/sign-in" not in driver.current_url, "sign-in failed"


def _mark_page(driver):
    """Tags the current document so that its replacement can be recognised without holding element references
    (Chromium may answer a stale-node check with an inspector error instead of a stale-element error)."""
    driver.execute_script("window.__samverkaPage = 'old';")


def _wait_for_new_page(driver):
    def replaced(d):
        try:
            return d.execute_script(
                "return window.__samverkaPage !== 'old' && document.readyState === 'complete';")
        except WebDriverException:
            return False  # mid-navigation: ask again
    WebDriverWait(driver, 15).until(replaced)


def submit(driver, selector="main form button[type=submit]"):
    """Clicks a submit button and waits until the next page has replaced this one."""
    _mark_page(driver)
    driver.find_element(By.CSS_SELECTOR, selector).click()
    _wait_for_new_page(driver)


def follow(driver, element):
    """Activates a link (click or key press) and waits for the next page."""
    _mark_page(driver)
    element()
    _wait_for_new_page(driver)


def sign_out(driver):
    driver.find_element(By.CSS_SELECTOR, "form[action='/sign-out'] button").click()


_AXE = None


def axe_source():
    """axe-core 4.x as shipped in PyPI's axe-playwright-python (see docs/environment-notes)."""
    global _AXE
    if _AXE is None:
        files = glob.glob(str(ROOT / ".venv/lib/python3*/site-packages/axe_playwright_python/axe.min.js"))
        assert files, "axe.min.js not found: run scripts/install-test-tools"
        _AXE = pathlib.Path(files[0]).read_text(encoding="utf-8")
    return _AXE


def run_axe(driver):
    """Runs axe on the current page for WCAG 2.1 A and AA; returns the violations."""
    driver.execute_script(axe_source())
    version = driver.execute_script("return axe.version")
    assert version.startswith("4."), f"axe-core {version} is not 4.x"
    driver.set_script_timeout(60)
    result = driver.execute_async_script(
        """const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
           .then(r => done(JSON.stringify(r.violations))).catch(e => done(JSON.stringify([{id: 'axe-error', help: String(e), nodes: []}])));"""
    )
    return json.loads(result)
