"""A grant from application to reclaim, entirely in the browser, by the people who do it:
the organisation's representative applies and reports, the official assigns a reviewer, decides, pays and
reclaims, the reviewer declares jäv and scores, and anyone can read the public register."""
import os
import tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from common import FINANCE, OFFICIAL, REPRESENTATIVE, follow, run_axe, sign_in, submit, url

REVIEWER = ("bedomare@regionvarmland.example", "demo-Reviewer-Samverka-2026")


def field(driver, id_, text):
    el = driver.find_element(By.ID, id_)
    el.clear()
    el.send_keys(text)


def choose(driver, id_, value=None, text=None):
    s = Select(driver.find_element(By.ID, id_))
    if value is not None:
        s.select_by_value(value)
    elif text is not None:
        s.select_by_visible_text(text)
    else:
        s.select_by_index(1)


def press(driver, css):
    submit(driver, css)


def flash(driver):
    return driver.find_element(By.CSS_SELECTOR, ".flash").text


def main_text(driver):
    """The visible text of the page's main element (no-break spaces as plain spaces)."""
    return driver.find_element(By.TAG_NAME, "main").text.replace("\u00a0", " ")


def signed_in(driver, who):
    driver.delete_all_cookies()
    sign_in(driver, who)


def test_apply_review_decide_pay_report_reclaim(driver):
    # 1. The representative finds an open call, sees that the organisation qualifies, and starts an application.
    signed_in(driver, REPRESENTATIVE)
    driver.get(url("/grants"))
    calls = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby=h-calls]")
    assert "Funktionsrätt Värmland: uppfyller villkoren" in calls.text
    follow(driver, calls.find_element(By.PARTIAL_LINK_TEXT, "Verksamhetsbidrag").click)
    press(driver, "form[action$='/apply'] button")
    assert driver.current_url.endswith("/edit"), driver.current_url
    app_url = driver.current_url[: -len("/edit")]

    # A draft: answers, amount, budget, payee account.
    field(driver, "f-answers-verksamhet", "Länsgemensam samordning av påverkansarbete och utbildning.")
    choose(driver, "f-answers-malgrupp")
    field(driver, "f-requested", "120 000")
    field(driver, "f-payeeAccount", "5050-1055")
    field(driver, "f-budget-0-label", "Utbildningsdagar")
    field(driver, "f-budget-0-amount", "80 000")
    field(driver, "f-budget-1-label", "Lokaler")
    field(driver, "f-budget-1-amount", "40000")
    press(driver, "form[action$='/edit'] button[type=submit]")
    assert "sparat" in flash(driver).lower(), flash(driver)

    # Submitting without the required attachment is refused with the reason on the page.
    press(driver, "form[action$='/submit'] button")
    assert "error-summary" in driver.page_source
    assert "Verksamhetsberättelse" in driver.find_element(By.CSS_SELECTOR, ".error-summary").text

    # Attach the annual report, then submit.
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write("Verksamhetsberättelse 2025 för Funktionsrätt Värmland.")
        path = f.name
    try:
        choose(driver, "f-kind", value="verksamhetsberattelse")
        driver.find_element(By.ID, "f-file").send_keys(path)
        press(driver, "form[action$='/attachments'] button")
    finally:
        os.unlink(path)
    assert os.path.basename(path) in driver.page_source
    press(driver, "form[action$='/submit'] button")
    assert driver.current_url == app_url, driver.current_url
    assert "Inskickad" in driver.find_element(By.CSS_SELECTOR, ".status").text
    assert run_axe(driver) == []

    # 2. The official assigns the demo reviewer.
    signed_in(driver, OFFICIAL)
    driver.get(app_url)
    choose(driver, "f-reviewerId", text="Demo Bedömare")
    press(driver, "form[action$='/reviewers'] button")
    assert "Demo Bedömare" in driver.find_element(By.ID, "h-review").find_element(By.XPATH, "..").text

    # 3. The reviewer declares no jäv, then scores.
    signed_in(driver, REVIEWER)
    driver.get(url("/grants/reviews"))
    follow(driver, driver.find_element(By.LINK_TEXT, "Funktionsrätt Värmland").click)
    review_url = driver.current_url
    assert "f-scores-relevans" not in driver.page_source  # scores only after the jäv question
    choose(driver, "f-jav", value="false")
    press(driver, "main form button[type=submit]")
    choose(driver, "f-scores-relevans", value="4")
    choose(driver, "f-scores-genomforbarhet", value="3")
    field(driver, "f-comment", "Tydlig plan, rimlig budget.")
    driver.find_element(By.ID, "f-complete").click()
    press(driver, "main form button[type=submit]")
    assert driver.current_url.startswith(review_url)
    assert run_axe(driver) == []

    # 4. The official sees the scores and decides: partly granted, 100 000 kr.
    signed_in(driver, OFFICIAL)
    driver.get(app_url)
    assert "3,67" in main_text(driver)  # weighted mean (4×2 + 3) / 3
    follow(driver, driver.find_element(By.LINK_TEXT, "Fatta beslut").click)
    choose(driver, "f-outcome", value="partly")
    field(driver, "f-amount", "100000")
    choose(driver, "f-jav", value="false")
    press(driver, "main form button[type=submit]")
    # The motivation is required: the error is next to the field and nothing was decided.
    assert driver.find_element(By.ID, "f-motivation-error").is_displayed()
    field(driver, "f-motivation", "Verksamheten svarar mot programmets syfte; budgeten för lokaler är för hög.")
    press(driver, "main form button[type=submit]")
    h1 = driver.find_element(By.TAG_NAME, "h1").text
    assert h1.startswith("Beslut BID-"), h1
    decision_url = driver.current_url
    assert "100 000 kr" in main_text(driver)
    assert run_axe(driver) == []

    # 5. Payment run: a colleague attests (the one who decided may not), then the official marks it paid.
    signed_in(driver, FINANCE)
    driver.get(url("/grants/payments?status=planned"))
    row = driver.find_element(By.XPATH, "//tr[th[contains(., 'Funktionsrätt Värmland')]]")
    row.find_element(By.CSS_SELECTOR, "input[type=checkbox]").click()
    choose(driver, "f-action", value="approve")
    press(driver, "form[method=post][action='/grants/payments'] button[type=submit]")
    signed_in(driver, OFFICIAL)
    driver.get(url("/grants/payments?status=approved"))
    row = driver.find_element(By.XPATH, "//tr[th[contains(., 'Funktionsrätt Värmland')]]")
    row.find_element(By.CSS_SELECTOR, "input[type=checkbox]").click()
    choose(driver, "f-action", value="paid")
    press(driver, "form[method=post][action='/grants/payments'] button[type=submit]")
    driver.get(url("/grants/payments?status=paid"))
    rows = driver.find_elements(By.XPATH, "//tr[th[contains(., 'Funktionsrätt Värmland')]]")
    assert any("100 000 kr" in r.text.replace("\u00a0", " ") for r in rows)

    # 6. The representative reports: actual costs and what the money was used for.
    signed_in(driver, REPRESENTATIVE)
    driver.get(url("/grants/reports"))
    hrefs = [a.get_attribute("href") for a in driver.find_elements(By.LINK_TEXT, "Funktionsrätt Värmland")]
    report_url = None
    for href in hrefs:
        driver.get(href)
        if "f-costs" in driver.page_source and "100 000 kr" in main_text(driver):
            report_url = href
            break
    assert report_url, "no open report for the new grant"
    field(driver, "f-costs", "90 000")
    field(driver, "f-narrative", "Fyra utbildningsdagar i Karlstad, Arvika, Torsby och Kristinehamn.")
    # The report's own form (the attachment upload form comes first on the page).
    press(driver, "main form:not([enctype]) button[type=submit]")
    assert "inlämnad" in driver.page_source.lower()

    # 7. The official approves the report and reclaims the unspent 10 000 kr.
    signed_in(driver, OFFICIAL)
    driver.get(report_url)
    choose(driver, "f-decision", value="approve")
    press(driver, "form[action$='/review'] button[type=submit]")
    assert "godkänd" in driver.page_source.lower()
    driver.get(decision_url)
    field(driver, "f-amount", "10 000")
    field(driver, "f-reason", "Ej förbrukade medel enligt redovisningen.")
    press(driver, "form[action$='/reclaim'] button")
    driver.get(url("/grants/reclaims"))
    row = driver.find_element(By.XPATH, "//tr[th[contains(., 'Funktionsrätt Värmland')]]")
    assert "10 000 kr" in row.text.replace("\u00a0", " ")
    # The reclaim is a letter the organisation can print: amount, due date, reference and how to appeal.
    follow(driver, row.find_element(By.CSS_SELECTOR, "th a").click)
    letter = main_text(driver).replace("\u00a0", " ")
    assert "Beslut om återkrav" in letter and "10 000 kr" in letter and "som referens" in letter
    assert run_axe(driver) == []

    # 8. Anyone can read the decision in the public register.
    driver.delete_all_cookies()
    driver.get(url("/grants/register"))
    assert "Funktionsrätt Värmland" in driver.page_source
    assert "100 000 kr" in main_text(driver)
    assert run_axe(driver) == []
