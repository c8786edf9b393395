"""A survey in the browser, by the people who do it: an official of Region Värmland starts from the template, adds a
question with the form builder, previews it, sends it to the units of the region, and the units answer through their
personal links (read from the mail the outbox wrote); the results page counts "N av M" with charts. The national
analyst imports what regions reported and reads the overview. Every page passes axe."""
import glob
import os
import re
import subprocess
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from common import ADMIN, OFFICIAL, ROOT, run_axe, submit, url
from test_grants import field, main_text, signed_in

ANALYST = ("analytiker@samverka.example", "demo-Analyst-Samverka-2026")


def links_in_mail(after):
    """Personal links in the mail written since `after` (the outbox delivers within seconds)."""
    mail_dir = os.path.join(os.environ["SAMVERKA_LIVE_DIR"], "mail")
    for _ in range(60):
        found = []
        for path in glob.glob(os.path.join(mail_dir, "*.eml")):
            if os.path.getmtime(path) < after:
                continue
            with open(path, encoding="utf-8") as f:
                text = f.read()
            to = re.search(r"^To: (.*)$", text, re.M).group(1)
            m = re.search(r"(/s/[A-Za-z0-9_\-]+)", text)
            if m and "Enkät: Kartläggning i webbläsaren" in text:
                found.append((to, m.group(1)))
        if len(found) >= 2:
            return dict(found)
        time.sleep(0.5)
    raise AssertionError("no survey links were mailed")


def test_official_builds_sends_and_units_answer(driver):
    signed_in(driver, OFFICIAL)
    driver.get(url("/surveys/new?template=1"))
    assert driver.find_element(By.ID, "f-template").is_selected()
    field(driver, "f-title", "Kartläggning i webbläsaren")
    assert run_axe(driver) == []
    submit(driver)
    assert "Kartläggning i webbläsaren" in main_text(driver)
    survey_page = driver.current_url.split("#")[0].split("?")[0]
    survey_id = survey_page.rstrip("/").split("/")[-1]
    assert "Samverkar ni med regionen i dag?" in main_text(driver)
    assert run_axe(driver) == []
    # The form builder: a single-choice question with two options; a bad code is a message next to the field.
    driver.get(survey_page + "/questions/new")
    field(driver, "f-code", "Mötesplats")
    field(driver, "f-text", "Var träffas ni oftast?")
    Select(driver.find_element(By.ID, "f-kind")).select_by_value("single")
    field(driver, "f-optionCode1", "radet")
    field(driver, "f-optionLabel1", "I rådet")
    field(driver, "f-optionCode2", "natverk")
    field(driver, "f-optionLabel2", "I nätverk")
    submit(driver)
    assert "a–z, 0–9" in driver.find_element(By.ID, "f-code-error").text
    assert run_axe(driver) == []
    field(driver, "f-code", "motesplats")
    submit(driver)
    assert "Var träffas ni oftast?" in main_text(driver)
    # Preview as the respondent sees it.
    driver.get(survey_page + "/preview")
    assert "Var träffas ni oftast?" in main_text(driver) and "Förhandsgranskning" in main_text(driver)
    assert run_axe(driver) == []
    # Audience: every unit of Region Värmland; send.
    driver.get(survey_page)
    driver.find_element(By.ID, "kind-unit").click()
    Select(driver.find_element(By.ID, "f-bodyId")).select_by_visible_text("Region Värmland")
    field(driver, "f-group", "Region Värmland, enheter")
    submit(driver, "form[action$='/recipients'] button[type=submit]")
    assert "mottagare lades till" in main_text(driver)
    before = time.time() - 1
    submit(driver, "form[action$='/send'] button[type=submit]")
    assert "inbjudningar skickas" in main_text(driver)
    assert run_axe(driver) == []
    links = links_in_mail(before)
    # Two units answer through their links, without signing in.
    driver.delete_all_cookies()
    first, second = sorted(links.values())[:2]
    driver.get(url(first))
    assert "Kartläggning i webbläsaren" in main_text(driver)
    assert run_axe(driver) == []
    driver.find_element(By.ID, "a-samverkar_region-yes").click()
    driver.find_element(By.ID, "a-former_region-dialog").click()
    driver.find_element(By.ID, "a-former_region-bidrag").click()
    driver.find_element(By.ID, "a-samverkar_lansstyrelsen-no").click()
    driver.find_element(By.ID, "a-motesplats-radet").click()
    submit(driver)
    assert "Tack för era svar" in main_text(driver)
    driver.get(url(second))
    # A required question left out is a message, and nothing is stored.
    driver.find_element(By.ID, "a-samverkar_lansstyrelsen-yes").click()
    submit(driver)
    assert "Obligatoriskt" in main_text(driver) or "måste" in main_text(driver).lower() or "Fyll i" in main_text(driver)
    assert run_axe(driver) == []
    driver.find_element(By.ID, "a-samverkar_region-yes").click()
    driver.find_element(By.ID, "a-former_region-dialog").click()
    submit(driver)
    assert "Tack för era svar" in main_text(driver)
    # The official reads the results: N av M per group, with charts.
    signed_in(driver, OFFICIAL)
    driver.get(survey_page + "/results")
    text = main_text(driver)
    assert "2 av 2 (100 %)" in text  # samverkar_region: yes
    assert "1 av 2 (50 %)" in text  # former_region: bidrag
    assert driver.find_elements(By.CSS_SELECTOR, "svg.bars title")
    assert run_axe(driver) == []
    driver.get(survey_page)
    assert "2 av" in main_text(driver)
    # The CLI imports answers collected elsewhere into the same survey.
    path = os.path.join(os.environ["SAMVERKA_LIVE_DIR"], "svar.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("respondent_group;respondent;question;answer\nföreningar;F1;samverkar_region;Ja\nföreningar;F2;samverkar_region;Nej\n")
    env = dict(os.environ, DATABASE_PATH=os.path.join(os.environ["SAMVERKA_LIVE_DIR"], "samverka.sqlite"), SAMVERKA_DEMO="0")
    binary = os.environ.get("SAMVERKA_BIN", str(ROOT / ".build" / "debug" / "samverka"))
    out = subprocess.run([binary, "import", "survey-responses", "--survey", survey_id, path], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    driver.get(survey_page + "/results")
    assert "1 av 2 (50 %)" in main_text(driver)


def test_analyst_imports_reported_figures_and_reads_the_overview(driver):
    signed_in(driver, ANALYST)
    driver.get(url("/overview/import"))
    assert run_axe(driver) == []
    path = os.path.join(os.environ["SAMVERKA_LIVE_DIR"], "rapporterat.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("region,year,agreement,iop\nAtlantis,2024,Ja,Ja\nSkåne,2024,Ja,–*\n")
    driver.find_element(By.ID, "f-file").send_keys(path)
    submit(driver)
    assert "Atlantis" in main_text(driver)  # the bad line, with its number
    assert run_axe(driver) == []
    with open(path, "w", encoding="utf-8") as f:
        f.write("region,year,agreement,iop\nSkåne,2024,Ja,–*\nKalmar,2024,Ja,Nej\n")
    driver.find_element(By.ID, "f-file").send_keys(path)
    submit(driver)
    assert "2" in main_text(driver)
    driver.get(url("/overview?year=2024&indicator=iop&from=2023&to=2024"))
    text = main_text(driver)
    assert "Region Skåne" in text and "Okänt" in text
    assert "Förändringar 2023–2024" in text
    assert run_axe(driver) == []
    driver.get(url("/overview?year=2020&lang=en"))
    assert "Unknown" in main_text(driver)
    assert run_axe(driver) == []
