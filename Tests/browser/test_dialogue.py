"""A council meeting and a question with its answer, in the browser, by the people who do it: the secretary
(an official) prepares and minutes the meeting, the chair (a politician) answers the invitation and approves the
minutes, an organisation's representative raises a question and reads the answer."""

from selenium.webdriver.common.by import By

from common import OFFICIAL, REPRESENTATIVE, follow, run_axe, sign_in, submit, swedish_today, url
from fixtures import demo_ids
from test_grants import field, main_text, signed_in

POLITICIAN = ("politiker@regionvarmland.example", "demo-Politician-Samverka-2026")


def button(driver, text):
    """Submits the inline form whose button reads `text`."""
    for b in driver.find_elements(By.CSS_SELECTOR, "main form button[type=submit]"):
        if b.text.strip() == text:
            driver.execute_script("window.__samverkaPage = 'old';")
            b.click()
            from common import _wait_for_new_page
            _wait_for_new_page(driver)
            return
    raise AssertionError(f"no button {text!r} on {driver.current_url}")


def test_secretary_prepares_and_minutes_a_meeting(driver):
    ids = demo_ids()
    meeting = url(f"/meetings/{ids['confirmed']}")
    signed_in(driver, OFFICIAL)
    driver.get(meeting)
    # Agenda item, then invitations to the seat holders.
    driver.find_element(By.XPATH, "//summary[contains(., 'Lägg till punkt')]").click()
    field(driver, "f-item-title", "Kollektivtrafikens tillgänglighet")
    field(driver, "f-item-raisedBy", "SPF Seniorerna Värmland")
    submit(driver, "#agenda form button[type=submit]")
    assert "Kollektivtrafikens tillgänglighet" in main_text(driver)
    button(driver, "Skicka kallelse")
    assert "Kallelserna är skickade" in main_text(driver)
    assert run_axe(driver) == []
    # The chair answers the invitation.
    signed_in(driver, POLITICIAN)
    driver.get(meeting)
    button(driver, "Jag kommer")
    assert "Kommer" in main_text(driver)
    # The council met earlier than planned, today: the secretary moves the date, then marks the meeting held
    # (a meeting cannot be marked held before its day).
    signed_in(driver, OFFICIAL)
    driver.get(meeting + "/edit")
    date = driver.find_element(By.ID, "f-date")
    driver.execute_script("arguments[0].value = arguments[1];", date, swedish_today().isoformat())
    submit(driver)
    driver.get(meeting)
    button(driver, "Markera som hållet")
    boxes = driver.find_elements(By.CSS_SELECTOR, "#attendance input[type=checkbox]")
    for b in boxes[:4]:
        if not b.is_selected():
            b.click()
    submit(driver, "#attendance form button[type=submit]")
    assert "Beslutsfört" in main_text(driver)
    areas = driver.find_elements(By.CSS_SELECTOR, "#agenda textarea[name^='minutes[']")
    assert areas, "no minutes fields"
    areas[-1].send_keys("Regionen tar frågan vidare till kollektivtrafikmyndigheten.")
    submit(driver, "#agenda form button.button")
    assert "Protokollet är sparat" in main_text(driver)
    assert run_axe(driver) == []
    # The chair approves; publication waits for the adjuster too.
    signed_in(driver, POLITICIAN)
    driver.get(meeting)
    button(driver, "Justera protokollet")
    assert "Du har justerat protokollet" in main_text(driver)
    signed_in(driver, OFFICIAL)
    driver.get(meeting)
    assert "Publicera protokollet" not in main_text(driver)


def test_representative_raises_a_question_and_reads_the_answer(driver):
    ids = demo_ids()
    signed_in(driver, REPRESENTATIVE)
    driver.get(url("/questions/new"))
    from selenium.webdriver.support.ui import Select
    Select(driver.find_element(By.ID, "f-forumId")).select_by_visible_text("Rådet för funktionsrätt")
    field(driver, "f-title", "Teckentolk vid rådets möten")
    field(driver, "f-text", "Kan regionen boka teckentolk till alla rådets möten?")
    submit(driver)
    assert "Frågan är skickad" in main_text(driver)
    question = driver.current_url
    assert run_axe(driver) == []
    # The official answers from the list of questions owed by the body.
    signed_in(driver, OFFICIAL)
    driver.get(question)
    field(driver, "f-answer", "Ja, teckentolk bokas till alla möten från och med nästa möte.")
    submit(driver)
    assert "Besvarad" in main_text(driver)
    # The asker sees the answer; anyone can, since the question is public.
    driver.delete_all_cookies()
    driver.get(question)
    assert "teckentolk bokas till alla möten" in main_text(driver)
    driver.get(url(f"/forums/{ids['forum']}"))
    assert "Återkopplingsgrad" in main_text(driver)


def test_secret_document_is_listed_but_not_delivered(driver, tmp_path):
    """Offentlighetsprincipen: a document uploaded with an OSL provision is listed publicly with its marking, and
    an anonymous visitor cannot download it."""
    from selenium.webdriver.support.ui import Select
    ids = demo_ids()
    meeting = url(f"/meetings/{ids['published']}")
    signed_in(driver, OFFICIAL)
    driver.get(meeting)
    driver.find_element(By.XPATH, "//summary[contains(., 'Lägg till handling')]").click()
    field(driver, "f-doc-title", "Yttrande om enskild brukare")
    secret = tmp_path / "brukare.txt"
    secret.write_text("Sekretessbelagda uppgifter om en brukare.", encoding="utf-8")
    driver.find_element(By.ID, "f-doc-file").send_keys(str(secret))
    Select(driver.find_element(By.ID, "f-doc-provision")).select_by_value("26:1")
    field(driver, "f-doc-secrecy", "Uppgifter om en enskilds personliga förhållanden inom socialtjänsten.")
    submit(driver, "#documents form button[type=submit]")
    assert "Yttrande om enskild brukare" in main_text(driver)
    # The official sees the new document's link (the demo meeting has other documents too: pick this one by its title).
    doc = driver.find_element(By.XPATH, "//*[@id='documents']//a[contains(., 'Yttrande om enskild brukare')]").get_attribute("href")
    assert "/meeting-documents/" in doc
    # Anonymous: the page lists the document with its marking but gives no link, and the address gives no file.
    driver.delete_all_cookies()
    driver.get(meeting)
    text = main_text(driver)
    assert "Yttrande om enskild brukare" in text
    assert "OSL 26 kap. 1 §" in text
    assert not [a for a in driver.find_elements(By.CSS_SELECTOR, "#documents a") if a.get_attribute("href") == doc]
    assert run_axe(driver) == []
    driver.get(doc)
    assert "Sekretessbelagda uppgifter" not in driver.page_source
    assert "/sign-in" in driver.current_url
