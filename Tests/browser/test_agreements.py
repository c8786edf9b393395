"""The överenskommelse in the browser, by the people who do it: the official creates an agreement, writes its text,
records its adoption, revises it, sends the revision out for consultation and sees what changed; adds an action plan
and a follow-up report and reads the principle dashboard; an organisation's representative withdraws and signs again."""

from selenium.webdriver.common.by import By

from common import OFFICIAL, REPRESENTATIVE, run_axe, submit, swedish_today, url
from fixtures import demo_ids
from test_grants import choose, field, main_text, signed_in


def textarea(driver, id_, text):
    el = driver.find_element(By.ID, id_)
    el.clear()
    el.send_keys(text)


def link(driver, text):
    driver.find_element(By.XPATH, f"//main//a[contains(normalize-space(.), {text!r})]").click()


def test_official_runs_an_agreement(driver):
    today = swedish_today().isoformat()
    signed_in(driver, OFFICIAL)
    driver.get(url("/agreements/new"))
    assert run_axe(driver) == []
    field(driver, "f-title", "Överenskommelsen Testbygd")
    field(driver, "f-partyName", "Idéburna organisationer i Testbygd")
    submit(driver)
    assert "Överenskommelsen Testbygd" in main_text(driver)
    agreement = driver.current_url.split("/agreements/")[1].split("?")[0].split("#")[0]
    # The first draft: text in sections; the six national principles are already there.
    link(driver, "version 1")
    link(driver, "Ändra utkastet")
    assert "Självständighet och oberoende" in driver.find_element(By.ID, "f-principlesText").get_attribute("value")
    textarea(driver, "f-sectionsText", "## Syfte\nAtt stärka samverkan i Testbygd.\n\n## Uppföljning\nVarje år.")
    assert run_axe(driver) == []
    submit(driver)
    assert "Att stärka samverkan i Testbygd." in main_text(driver)
    # A malformed § is a field error next to the field; then the adoption is recorded.
    link(driver, "Registrera beslut om antagande")
    field(driver, "f-decidingOrgan", "Regionstyrelsen")
    driver.execute_script("arguments[0].value = arguments[1];", driver.find_element(By.ID, "f-adoptedOn"), today)
    field(driver, "f-paragraph", "tolv")
    field(driver, "f-diarienummer", "RS 2026-00099")
    submit(driver)
    assert "§ 174" in driver.find_element(By.ID, "f-paragraph-error").text, "the message next to the field shows how to write it"
    assert run_axe(driver) == []
    field(driver, "f-paragraph", "§ 12")
    submit(driver)
    assert "Antagen" in main_text(driver) and "§ 12" in main_text(driver)
    # Revise: a new draft from the adopted text, changed and sent out for consultation; the difference is shown.
    driver.get(url(f"/agreements/{agreement}"))
    submit(driver, "form[action$='/revise'] button")
    textarea(driver, "f-sectionsText", "## Syfte\nAtt stärka och utveckla samverkan i Testbygd.\n\n## Råd\nSamverkan sker i ett råd.")
    submit(driver)
    text = main_text(driver)
    assert "Jämfört med version 1" in text
    assert driver.find_elements(By.XPATH, "//ins[contains(., 'och utveckla')]")
    assert driver.find_elements(By.XPATH, "//del[contains(., 'Varje år.')]")
    assert run_axe(driver) == []
    link(driver, "Skicka på remiss")
    submit(driver)
    assert "På remiss" in main_text(driver)
    link(driver, "Remissen i Dialog")
    assert "Råd" in main_text(driver)
    # An action plan with an activity, a follow-up report, and the dashboard.
    driver.get(url(f"/agreements/{agreement}/plans/new"))
    submit(driver)
    link(driver, "Lägg till aktivitet")
    field(driver, "f-area", "Dialog")
    field(driver, "f-title", "Dialogdag med föreningarna")
    submit(driver)
    assert "Dialogdag med föreningarna" in main_text(driver)
    assert run_axe(driver) == []
    driver.get(url(f"/agreements/{agreement}/reports/new"))
    submit(driver)
    assert "Hållna möten" in main_text(driver)
    assert run_axe(driver) == []
    driver.get(url(f"/agreements/{agreement}/dashboard"))
    assert "För lite underlag" in main_text(driver) and "Så räknas det" in main_text(driver)
    assert run_axe(driver) == []


def test_representative_withdraws_and_signs_again(driver):
    ids = demo_ids()
    page = url(f"/agreements/{ids['agreement']}")
    signed_in(driver, REPRESENTATIVE)
    driver.get(page)
    driver.find_element(By.XPATH, "//a[contains(., 'Dra tillbaka underskriften')]").click()
    assert run_axe(driver) == []
    submit(driver)
    assert "53 organisationer" in main_text(driver)
    link(driver, "Skriv under för din organisation")
    assert run_axe(driver) == []
    submit(driver)
    text = main_text(driver)
    assert "54 organisationer" in text and "Funktionsrätt Värmland" in text
