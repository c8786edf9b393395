"""Searchable pickers (Public/js/combobox.js) by keyboard: the 290-municipality list filters as you type and keeps
what is chosen; the parent organisation is suggested by name and filled in as its organisation number. Without
JavaScript the same fields are a plain multi-select and a text field (the HTTP tests post them as such)."""
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from common import run_axe, sign_in, url


def test_municipalities_and_parent_by_keyboard(driver):
    sign_in(driver)
    driver.get(url("/organisations/new"))
    search = driver.find_element(By.ID, "f-municipalities-search")
    assert search.get_attribute("role") == "combobox"
    # The label now names the search box; the select is hidden but still in the form.
    assert driver.find_element(By.CSS_SELECTOR, "label[for='f-municipalities-search']")
    assert not driver.find_element(By.ID, "f-municipalities").is_displayed()
    search.send_keys("karlst")
    WebDriverWait(driver, 5).until(lambda d: search.get_attribute("aria-expanded") == "true")
    options = driver.find_elements(By.CSS_SELECTOR, ".combobox-list [role=option]")
    assert [o.text for o in options] == ["Karlstad (Värmlands län)"], [o.text for o in options]
    assert run_axe(driver) == []
    search.send_keys(Keys.ARROW_DOWN)
    assert search.get_attribute("aria-activedescendant") == options[0].get_attribute("id")
    search.send_keys(Keys.ENTER)
    chosen = driver.find_elements(By.CSS_SELECTOR, ".combobox-chosen li")
    assert len(chosen) == 1 and chosen[0].text.startswith("Karlstad")
    search.send_keys("arvik")
    search.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    selected = driver.execute_script("return Array.from(document.getElementById('f-municipalities').selectedOptions).map(o => o.textContent)")
    assert sorted(selected) == ["Arvika", "Karlstad"], selected
    # Escape closes the list; removing a choice is a button named after it.
    search.send_keys("Gäv", Keys.ESCAPE)
    assert search.get_attribute("aria-expanded") == "false"
    driver.find_element(By.XPATH, "//ul[@class='combobox-chosen']//button[contains(., 'Arvika')]").click()
    selected = driver.execute_script("return Array.from(document.getElementById('f-municipalities').selectedOptions).map(o => o.textContent)")
    assert selected == ["Karlstad"], selected

    # The parent organisation: type part of a name, choose the suggestion, the field holds its organisation number.
    parent = driver.find_element(By.ID, "f-parent")
    parent.send_keys("Funktionsrätt Värm")
    suggestions = "#" + parent.get_attribute("aria-controls") + " [role=option]"
    WebDriverWait(driver, 5).until(lambda d: parent.get_attribute("aria-expanded") == "true" and d.find_elements(By.CSS_SELECTOR, suggestions))
    assert "Funktionsrätt Värmland (802900-0083)" in [o.text for o in driver.find_elements(By.CSS_SELECTOR, suggestions)]
    parent.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    assert parent.get_attribute("value") == "802900-0083", parent.get_attribute("value")
    assert run_axe(driver) == []
