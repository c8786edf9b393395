"""Click through Samverka as a person would."""
import re
import time

from selenium.webdriver.common.by import By
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.keys import Keys

from common import ADMIN, OFFICIAL, follow, sign_in, submit, url


def test_search_open_sign_in_edit_with_bad_orgnr_then_fix(driver):
    # Search for an organisation from the start page and open it.
    driver.get(url("/"))
    box = driver.find_element(By.ID, "home-q")
    box.send_keys("pensionärer värmland")
    follow(driver, lambda: box.send_keys(Keys.ENTER))
    assert "Sökresultat" in driver.title
    follow(driver, driver.find_element(By.LINK_TEXT, "PRO Värmland").click)
    assert driver.find_element(By.TAG_NAME, "h1").text == "PRO Värmland"
    org_url = driver.current_url

    # Editing needs signing in; the sign-in page brings us back.
    driver.get(org_url + "/edit")
    assert "/sign-in" in driver.current_url
    driver.find_element(By.ID, "f-email").send_keys(OFFICIAL[0])
    driver.find_element(By.ID, "f-password").send_keys(OFFICIAL[1])
    submit(driver)
    assert driver.current_url.endswith("/edit"), driver.current_url

    # A wrong check digit: the error appears next to the field and the input is kept.
    orgnr = driver.find_element(By.ID, "f-orgnr")
    original = orgnr.get_attribute("value")
    orgnr.clear()
    orgnr.send_keys("802000-0000")
    submit(driver)
    error = driver.find_element(By.ID, "f-orgnr-error")
    assert "Kontrollsiffran" in error.text
    assert driver.find_element(By.ID, "f-orgnr").get_attribute("aria-invalid") == "true"
    assert "f-orgnr-error" in driver.find_element(By.ID, "f-orgnr").get_attribute("aria-describedby")
    summary_link = driver.find_element(By.CSS_SELECTOR, ".error-summary a")
    assert summary_link.get_attribute("href").endswith("#f-orgnr")

    # Fix it and change the description; the change shows on the organisation page.
    orgnr = driver.find_element(By.ID, "f-orgnr")
    orgnr.clear()
    orgnr.send_keys(original)
    desc = driver.find_element(By.ID, "f-description")
    desc.clear()
    desc.send_keys("Ändrad i webbläsartestet")
    submit(driver)
    assert driver.current_url == org_url
    assert "Ändrad i webbläsartestet" in driver.page_source
    assert "sparade" in driver.find_element(By.CSS_SELECTOR, ".flash").text


def test_switch_language(driver):
    driver.get(url("/organisations"))
    assert driver.find_element(By.TAG_NAME, "h1").text == "Organisationer"
    follow(driver, driver.find_element(By.LINK_TEXT, "English").click)
    assert driver.find_element(By.TAG_NAME, "h1").text == "Organisations"
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    # The choice sticks on the next page.
    driver.get(url("/density"))
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    follow(driver, driver.find_element(By.LINK_TEXT, "Svenska").click)
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "sv"


def test_keyboard_only_main_menu(driver):
    driver.get(url("/"))
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    active = driver.switch_to.active_element
    assert active.get_attribute("class") == "skip-link", "the first Tab stop is the skip link"
    assert active.is_displayed(), "the skip link becomes visible when focused"
    # Enter on the skip link moves focus to the main content.
    active.send_keys(Keys.ENTER)
    assert driver.switch_to.active_element.get_attribute("id") == "main"
    # From the top, Tab reaches the main menu; Enter follows the link.
    driver.get(url("/"))
    seen = []
    for _ in range(8):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        el = driver.switch_to.active_element
        seen.append(el.text)
        if el.text == "Katalog":
            # A visible focus indicator.
            outline = driver.execute_script("return getComputedStyle(arguments[0]).outlineStyle", el)
            assert outline != "none"
            follow(driver, lambda: el.send_keys(Keys.ENTER))
            break
    assert "Katalog" in seen, seen
    assert driver.current_url.endswith("/organisations")


def test_density_table_sorts(driver):
    driver.get(url("/density?county=17"))
    assert driver.find_element(By.CSS_SELECTOR, "svg.bar-chart")
    follow(driver, driver.find_element(By.LINK_TEXT, "Kommun").click)
    first = driver.find_elements(By.CSS_SELECTOR, "table.sortable tbody th")[0].text
    follow(driver, driver.find_element(By.LINK_TEXT, "Kommun").click)
    first_desc = driver.find_elements(By.CSS_SELECTOR, "table.sortable tbody th")[0].text
    assert first != first_desc
    assert driver.find_element(By.CSS_SELECTOR, "th[aria-sort='ascending'], th[aria-sort='descending']")


def test_handover_of_a_role(driver):
    sign_in(driver, ADMIN)
    driver.get(url("/roles?open=true"))
    follow(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "Pensionärsrådet").click)
    role_url = driver.current_url
    follow(driver, driver.find_element(By.LINK_TEXT, "Lämna över rollen").click)
    driver.find_element(By.ID, "f-holderName").send_keys("Ny Sekreterare")
    submit(driver)
    assert driver.current_url == role_url
    assert "Ny Sekreterare" in driver.find_element(By.CSS_SELECTOR, "dl.facts").text


def test_import_runs_in_the_background_with_a_progress_page(driver, tmp_path):
    """An import uploaded in the browser: the page it lands on shows how far it has come (and may be reloaded),
    and shows the result by itself when the import has finished."""
    from common import run_axe
    sign_in(driver, ADMIN)
    driver.get(url("/organisations/import"))
    path = tmp_path / "bakgrund.csv"
    path.write_text("namn;juridisk form;kommun\n" + "\n".join(f"Bakgrundsimportens förening {i};ideell förening;Kil" for i in range(1500)) + "\n", encoding="utf-8")
    driver.find_element(By.ID, "f-file").send_keys(str(path))
    submit(driver)
    assert "/organisations/import/" in driver.current_url, driver.current_url
    assert "bakgrund.csv" in driver.find_element(By.ID, "task-heading").text
    assert run_axe(driver) == []
    if driver.find_elements(By.ID, "task-bar"):
        # Still running: the progress bar says how far, and a reload keeps the page.
        assert driver.find_element(By.ID, "task-bar").get_attribute("max") == "1500"
        driver.refresh()
        assert "bakgrund.csv" in driver.find_element(By.ID, "task-heading").text
    deadline, main = time.time() + 90, ""
    while time.time() < deadline and "organisationer är importerade" not in main:
        time.sleep(0.5)
        try:
            main = driver.find_element(By.TAG_NAME, "main").text
        except WebDriverException:  # the script is loading the finished page
            main = ""
    assert re.search(r"1[\s\u00a0]?500 organisationer är importerade", main), main
    assert not driver.find_elements(By.ID, "task-bar")
    assert run_axe(driver) == []
