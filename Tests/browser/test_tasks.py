"""Each demo role signs in and lands on "Att göra": the page lists exactly what waits for that person in the demo (and
nothing they may not act on), the same as GET /api/v1/me/tasks, every link opens, and the page works by keyboard and
passes axe in Swedish and English. Runs first, on the demo as loaded."""
import datetime
import json

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from selenium.webdriver.support.ui import Select

from common import FINANCE, OFFICIAL, REPRESENTATIVE, run_axe, swedish_today, url
from test_grants import main_text, press, signed_in

POLITICIAN = ("politiker@regionvarmland.example", "demo-Politician-Samverka-2026")
REVIEWER = ("bedomare@regionvarmland.example", "demo-Reviewer-Samverka-2026")
ANALYST = ("analytiker@samverka.example", "demo-Analyst-Samverka-2026")

# Region Värmland's IOPs in force in the demo and when they end: an official has those ending within 90 days to renew
# or end (the demo's dates are fixed, so which ones depends on today).
ENDING = {"EBL-skolan – Ett bättre liv": "2027-03-31", "Afasiföreningen – stöd efter stroke": "2026-12-31",
          "Frykcenter – rehabilitering": "2026-12-31"}
SOON = (swedish_today() + datetime.timedelta(days=90)).isoformat()
OFFICIALS_IOP = {"partnerships.initiative": ["Kamratstöd för unga med funktionsnedsättning"]}
if any(end <= SOON for end in ENDING.values()):
    OFFICIALS_IOP["partnerships.ending"] = [t for t, end in ENDING.items() if end <= SOON]

# What each role has to do in the demo as loaded: kind -> titles.
EXPECTED = {
    OFFICIAL: {"grants.decide": ["Afasiföreningen i Värmland"], **OFFICIALS_IOP},
    FINANCE: {"grants.decide": ["Afasiföreningen i Värmland"], **OFFICIALS_IOP},
    REVIEWER: {"grants.review": ["Afasiföreningen i Värmland"]},
    REPRESENTATIVE: {"grants.call": ["Verksamhetsbidrag {next}"],
                     "grants.report": ["Verksamhetsbidrag till funktionsrättsorganisationer {this}"],
                     "dialogue.consultation": ["Remiss: Regional strategi för folkhälsa 2027–2030"]},
    POLITICIAN: {},
    ANALYST: {},
}


def fetch(driver, path):
    """GET with the browser's session; returns (status, body)."""
    driver.set_script_timeout(30)
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {credentials: 'same-origin', headers: {'Accept': 'application/json'}})"
        ".then(r => r.text().then(t => done([r.status, t]))).catch(e => done([0, String(e)]));", path)


def page_tasks(driver):
    """kind -> [(title, href)] as the page shows them."""
    out = {}
    for section in driver.find_elements(By.CSS_SELECTOR, "section.task-group"):
        kind = section.get_attribute("id")
        out[kind] = [(a.text, a.get_attribute("href").replace(url(""), "")) for a in section.find_elements(By.CSS_SELECTOR, "ul.task-list > li > a")]
    return out


def test_each_role_sees_exactly_its_tasks(driver):
    this_year = swedish_today().year
    for who, expected in EXPECTED.items():
        signed_in(driver, who)
        # The start page after sign-in.
        assert driver.current_url.split("?")[0] == url("/tasks"), f"{who[0]} landed on {driver.current_url}"
        shown = page_tasks(driver)
        titles = {k: sorted(t for t, _ in v) for k, v in shown.items()}
        want = {k: sorted(t.format(this=this_year, next=this_year + 1) for t in v) for k, v in expected.items()}
        assert titles == want, f"{who[0]}: {titles}"
        status, body = fetch(driver, "/api/v1/me/tasks")
        assert status == 200, body
        api = json.loads(body)
        assert api["total"] == sum(len(v) for v in shown.values())
        assert {k: sorted(i["href"] for i in api["items"] if i["kind"] == k) for k in api["counts"]} == \
               {k: sorted(h for _, h in v) for k, v in shown.items()}
        # Counts per kind next to each heading; every link opens for this person.
        for kind, items in shown.items():
            heading = driver.find_element(By.ID, f"h-{kind}").text
            assert f"({len(items)})" in heading
            for _, href in items:
                code, _ = fetch(driver, href)
                assert code == 200, f"{who[0]}: {href} answered {code}"
        if not expected:
            assert "Inget väntar på dig just nu." in main_text(driver)


def test_start_page_by_keyboard_and_in_english(driver):
    signed_in(driver, REVIEWER)
    # Tab from the top of the page to the first task and open it with Enter.
    target = driver.find_element(By.CSS_SELECTOR, "section.task-group ul.task-list a").get_attribute("href")
    for _ in range(40):
        focused = driver.switch_to.active_element
        if focused.get_attribute("href") == target:
            break
        focused.send_keys(Keys.TAB)
    assert driver.switch_to.active_element.get_attribute("href") == target
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    assert "/grants/reviews/" in driver.current_url
    driver.get(url("/tasks?lang=en"))
    text = main_text(driver)
    assert "Applications to review" in text and "Ansökningar att bedöma" not in text
    assert run_axe(driver) == []
    driver.get(url("/tasks?lang=sv"))
    assert run_axe(driver) == []


def test_notifications_listed_and_marked_read(driver):
    # The demo assigned the reviewer an application: the notice is in the app, unread, with a link to the review.
    signed_in(driver, REVIEWER)
    driver.get(url("/notifications"))
    text = main_text(driver)
    assert "Ansökan att bedöma: Afasiföreningen i Värmland" in text
    assert run_axe(driver) == []
    press(driver, "form[action='/notifications/read-all'] button[type=submit]")
    assert "Alla aviseringar är markerade som lästa." in main_text(driver)
    assert driver.find_elements(By.XPATH, "//button[contains(., 'Markera alla som lästa')]") == []
    # Delivery choices on the account page: the reviewer turns e-mail off for assignments.
    driver.get(url("/account"))
    Select(driver.find_element(By.ID, "mode_grantReviewer")).select_by_value("none")
    press(driver, "form[action='/account/notifications'] button[type=submit]")
    assert Select(driver.find_element(By.ID, "mode_grantReviewer")).first_selected_option.get_attribute("value") == "none"
    assert run_axe(driver) == []


def test_letters_and_minutes_print_cleanly(driver):
    """Printed, a decision letter and published minutes have no navigation, forms or buttons, and the running head
    (the body or forum, and the diarienummer) is set to repeat on every page."""
    from fixtures import demo_ids
    ids = demo_ids()
    signed_in(driver, OFFICIAL)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        for path, head in ((f"/grants/decisions/{ids['decision']}", "Diarienummer"), (f"/meetings/{ids['published']}", "Pensionärsrådet")):
            driver.get(url(path))
            assert not driver.find_element(By.CSS_SELECTOR, ".site-header").is_displayed(), path
            assert not any(e.is_displayed() for e in driver.find_elements(By.CSS_SELECTOR, "nav, form, button")), path
            running = driver.find_element(By.CSS_SELECTOR, ".running-head")
            assert running.is_displayed() and head in running.text, (path, running.text)
            assert driver.execute_script("return getComputedStyle(arguments[0]).position", running) == "fixed"
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    # On screen the running head is not shown (the letter has its own header).
    driver.get(url(f"/grants/decisions/{ids['decision']}"))
    assert not driver.find_element(By.CSS_SELECTOR, ".running-head").is_displayed()
