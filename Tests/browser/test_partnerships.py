"""An IOP in the browser, by the people who do it: an organisation's representative reads the guide and proposes an
IOP from it; the official analyses, assesses, decides, records the agreement, follows up and renews; trying to skip a
step shows a clear message and changes nothing."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from common import OFFICIAL, REPRESENTATIVE, run_axe, submit, url
from test_grants import field, main_text, signed_in


def answer(driver, key, value):
    driver.find_element(By.ID, f"q-{key}-{value}").click()


def go_to(driver, label):
    Select(driver.find_element(By.ID, "f-to")).select_by_visible_text(label)


def test_proposed_assessed_decided_signed_followed_up_and_renewed(driver):
    # The representative asks the guide, then proposes with the answers kept.
    signed_in(driver, REPRESENTATIVE)
    driver.get(url("/partnerships/guide"))
    answer(driver, "buysForOwnNeeds", "no")
    answer(driver, "bothContribute", "yes")
    answer(driver, "partnerIsIdeburen", "yes")
    answer(driver, "economicActivity", "no")
    answer(driver, "announced", "yes")
    submit(driver)
    assert "IOP är en lämplig form" in main_text(driver)
    assert run_axe(driver) == []
    driver.find_element(By.LINK_TEXT, "Föreslå en IOP med dessa svar").click()
    Select(driver.find_element(By.ID, "f-bodyId")).select_by_visible_text("Region Värmland")
    field(driver, "f-title", "Kamratstöd i Kil")
    field(driver, "f-need", "Unga i Kil saknar kamratstöd.")
    assert run_axe(driver) == []
    submit(driver)
    assert "Kamratstöd i Kil" in main_text(driver)
    page = driver.current_url
    # The official: skipping a step is refused with a message and nothing changes.
    signed_in(driver, OFFICIAL)
    driver.get(page + "/move")
    Select(driver.find_element(By.ID, "f-to")).select_by_value("analysis")
    submit(driver)
    driver.get(page + "/move")
    Select(driver.find_element(By.ID, "f-to")).select_by_value("assessment")
    submit(driver)
    assert "saknas" in main_text(driver)
    assert run_axe(driver) == []
    # Analysis with both sides' contributions.
    driver.get(page + "/edit")
    field(driver, "f-problemAnalysis", "Kommunen och föreningen når unga bättre tillsammans.")
    field(driver, "f-goals", "Fler unga får kamratstöd")
    field(driver, "f-indicators", "Antal unga med kamratstödjare")
    field(driver, "f-bodyKronor", "200000")
    field(driver, "f-orgVolunteers", "12")
    assert run_axe(driver) == []
    submit(driver)
    driver.get(page + "/move")
    Select(driver.find_element(By.ID, "f-to")).select_by_value("assessment")
    submit(driver)
    assert "Rättslig bedömning" in main_text(driver)
    # Deciding before the assessment is refused.
    driver.get(page + "/move")
    Select(driver.find_element(By.ID, "f-to")).select_by_value("decision")
    submit(driver)
    assert "Den rättsliga bedömningen saknas" in main_text(driver)
    driver.get(page + "/assessment")
    for key, value in [("buysForOwnNeeds", "no"), ("paymentForPerformance", "no"), ("bothContribute", "yes"), ("partnerIsIdeburen", "yes"),
                       ("economicActivity", "no"), ("announced", "yes")]:
        answer(driver, key, value)
    field(driver, "f-motivation", "Båda bidrar; regionen köper inget; föreningen är idéburen.")
    assert run_axe(driver) == []
    submit(driver)
    assert "IOP är en lämplig form" in main_text(driver)
    driver.get(page + "/move")
    Select(driver.find_element(By.ID, "f-to")).select_by_value("decision")
    submit(driver)
    driver.get(page + "/edit")
    field(driver, "f-decisionOrgan", "Regionstyrelsen")
    driver.execute_script("arguments[0].value = '2026-01-15';", driver.find_element(By.ID, "f-decisionOn"))
    field(driver, "f-decisionParagraph", "§ 7")
    field(driver, "f-decisionDiarienummer", "RS 2026-00007")
    submit(driver)
    driver.get(page + "/move")
    Select(driver.find_element(By.ID, "f-to")).select_by_value("agreement")
    submit(driver)
    driver.get(page + "/edit")
    driver.execute_script("arguments[0].value = '2026-02-01';", driver.find_element(By.ID, "f-periodFrom"))
    driver.execute_script("arguments[0].value = '2027-12-31';", driver.find_element(By.ID, "f-periodTo"))
    field(driver, "f-agreementText", "Parterna driver kamratstöd tillsammans.")
    submit(driver)
    driver.get(page + "/move")
    Select(driver.find_element(By.ID, "f-to")).select_by_value("active")
    submit(driver)
    assert "Gäller" in main_text(driver)
    assert run_axe(driver) == []
    driver.get(page + "/follow-ups/new")
    field(driver, "f-results", "30 unga har en kamratstödjare.")
    submit(driver)
    assert "30 unga har en kamratstödjare." in main_text(driver)
    driver.get(page + "/renew")
    assert run_axe(driver) == []
    submit(driver)
    assert "Föregående period" in main_text(driver)
