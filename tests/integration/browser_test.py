"""The officers' dashboard in a real browser (headless Chromium through Selenium) against the demo data and the
real dpmond: every page loads without console errors and passes a structure check (a label on every input,
headings in order, the palette's contrast, every control reachable with the keyboard); the worklist's and an
account's figures equal the API's to the penny; an officer signs in and acknowledges a flag, completes a
review, records an exemption and proposes a recovery through the forms, and the API shows each change by
their name; the API's refusal shows beside its field; a form without its CSRF token is refused; a page without
a session goes to sign-in; a read-only person sees no buttons. Skipped, saying why, where Chromium cannot
start."""

import datetime
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

import harness
from harness import Daemon, curl, wait_for

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


def start_browser():
    """A headless Chromium at a council laptop's size, or the reason it cannot start."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError as e:
        return None, f"python3-selenium is missing ({e})"
    if not (os.path.exists(CHROMIUM) and os.path.exists(DRIVER)):
        return None, "chromium or chromium-driver is not installed"
    options = webdriver.ChromeOptions()
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,768"):
        options.add_argument(a)
    options.binary_location = CHROMIUM
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        return webdriver.Chrome(service=Service(DRIVER), options=options), ""
    except Exception as e:  # a machine where Chromium cannot start (no /dev/shm, no sandbox support...)
        return None, f"Chromium could not start: {e}"


def notice_says(browser, text):
    """Whether the page's notice holds `text`. After a form is sent the old page may still be there, or be
    replaced while it is read (a stale element): both mean not yet."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.common.by import By
    try:
        return text in browser.find_element(By.CSS_SELECTOR, ".notice").text
    except (NoSuchElementException, StaleElementReferenceException):
        return False


def pounds(decimal):
    """The API's "-1234.50" as the pages print it: "-£1,234.50"."""
    negative = decimal.startswith("-")
    whole, pence = decimal.lstrip("-").split(".")
    return ("-" if negative else "") + "£" + f"{int(whole):,}" + "." + pence


def luminance(rgb):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# The colour and the first opaque background behind each visible element with its own text.
COLOURS_JS = """
const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
const out = [];
for (const el of document.querySelectorAll('body *')) {
  if (!el.offsetParent && el.tagName !== 'BODY') continue;
  const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  if (!own || el.closest('svg')) continue;
  let bg = null;
  for (let p = el; p; p = p.parentElement) {
    const c = rgb(getComputedStyle(p).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0)) { bg = c.slice(0, 3); break; }
  }
  out.push([el.tagName + '.' + el.className, rgb(getComputedStyle(el).color).slice(0, 3), bg || [255, 255, 255]]);
}
return out;
"""

# Visible controls without a label, and the heading levels in order.
STRUCTURE_JS = """
const unlabelled = [];
for (const el of document.querySelectorAll('input, select, textarea')) {
  if (el.type === 'hidden' || !el.offsetParent) continue;
  const label = el.id && document.querySelector('label[for="' + el.id + '"]');
  if (!label && !el.getAttribute('aria-label')) unlabelled.push(el.outerHTML.slice(0, 80));
}
const headings = [...document.querySelectorAll('h1, h2, h3, h4')].map(h => Number(h.tagName[1]));
return [unlabelled, headings];
"""

CONTROLS_JS = """
const controls = [...document.querySelectorAll('a[href], button, input, select, textarea, summary')]
  .filter(el => el.offsetParent && el.type !== 'hidden' && !el.disabled)
  .filter(el => el.tagName === 'SUMMARY' || !el.closest('details:not([open])'));  // a closed form opens first
controls.forEach((el, i) => el.dataset.kbd = i);
return controls.length;
"""


class Dashboard(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.browser, why = start_browser()
        if not cls.browser:
            raise unittest.SkipTest("browser tests skipped: " + why)
        cls.tmp = tempfile.mkdtemp(prefix="dpmon-browser-")
        cls.state = os.path.join(cls.tmp, "state")
        cls.config = harness.daemon_config(cls.state, cls.tmp)
        yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
        subprocess.run([harness.ARGS.dpmon, "demo-data", "--out", os.path.join(cls.state, "drop"), "--accounts", "12",
                        "--months", "14", "--until", yesterday], check=True, capture_output=True, timeout=60)
        cls.tokens = {}
        for name, role in (("Olivia Officer", "officer"), ("Rita Reader", "read")):
            r = subprocess.run([harness.ARGS.dpmon, "--config", cls.config, "users", "add", name, "--email",
                                f"{role}@council.example", "--role", role], capture_output=True, text=True, timeout=30)
            assert r.returncode == 0, r.stderr
            cls.tokens[role] = r.stdout.strip()
        cls.daemon = Daemon(cls.config)
        cls.daemon.wait_for_log("reconciled", timeout=60)

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()
        cls.daemon.__exit__(None, None, None)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    # -- helpers ------------------------------------------------------------------------------------------

    def api(self, path, token=None):
        code, body = curl(self.daemon.url(path), "-H", f"Authorization: Bearer {token or self.tokens['officer']}")
        self.assertEqual(code, 200, body)
        return json.loads(body)

    def open(self, path):
        self.browser.get(self.daemon.url(path))
        return self.browser

    def sign_in(self, role="officer"):
        from selenium.webdriver.common.by import By
        self.browser.delete_all_cookies()
        self.open("/sign-in")
        self.browser.find_element(By.ID, "sign-in-token").send_keys(self.tokens[role])
        self.browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        wait_for(lambda: self.browser.title.startswith("Worklist"), timeout=10, what="the worklist after signing in")

    def console_errors(self):
        return [e for e in self.browser.get_log("browser") if e["level"] == "SEVERE"]

    def fill_and_send(self, form_css, values):
        from selenium.webdriver.common.by import By
        form = self.browser.find_element(By.CSS_SELECTOR, form_css)
        details = form.find_element(By.XPATH, "./ancestor::details")
        if not details.get_attribute("open"):
            details.find_element(By.TAG_NAME, "summary").click()
        for name, value in values.items():
            field = form.find_element(By.NAME, name)
            if field.tag_name == "select":
                from selenium.webdriver.support.ui import Select
                Select(field).select_by_value(value)
            elif field.get_attribute("type") == "date":
                self.browser.execute_script("arguments[0].value = arguments[1]", field, value)
            else:
                field.clear()
                field.send_keys(value)
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()

    def first_account_with(self, code):
        flags = self.api(f"/api/v1/flags?state=open&code={code}&limit=1")["flags"]
        self.assertTrue(flags, f"no demo account with an open {code} flag")
        return flags[0]["account_ref"]

    def keyboard_reaches_every_control(self):
        from selenium.webdriver.common.keys import Keys
        controls = self.browser.execute_script(CONTROLS_JS)
        from selenium.webdriver.common.action_chains import ActionChains
        self.browser.execute_script("window.scrollTo(0, 0); if (document.activeElement) document.activeElement.blur();")
        seen = set()
        for _ in range(controls * 4 + 10):  # from the top, as a keyboard user starts (a date field takes 3 stops)
            ActionChains(self.browser).send_keys(Keys.TAB).perform()
            seen.add(self.browser.execute_script("return document.activeElement.dataset.kbd || null"))
        seen.discard(None)
        return controls, len(seen)

    # -- tests --------------------------------------------------------------------------------------------

    def test_every_page_loads_without_console_errors_and_passes_the_structure_check(self):
        self.sign_in()
        ref = self.first_account_with("SURPLUS")
        for path in ("/", f"/accounts/{ref}", "/reviews", "/imports", "/outbox", "/help", "/reviews?state=completed"):
            with self.subTest(page=path):
                self.browser.get_log("browser")
                self.open(path)
                self.assertEqual(self.console_errors(), [], path)
                unlabelled, headings = self.browser.execute_script(STRUCTURE_JS)
                self.assertEqual(unlabelled, [], f"inputs without a label on {path}")
                self.assertEqual(headings[0], 1, f"{path} starts with an h1")
                self.assertEqual(headings.count(1), 1, f"{path} has one h1")
                for a, b in zip(headings, headings[1:]):
                    self.assertLessEqual(b, a + 1, f"{path}: heading h{a} followed by h{b}")
                for what, fg, bg in self.browser.execute_script(COLOURS_JS):
                    self.assertGreaterEqual(round(contrast(fg, bg), 2), 4.5, f"{path}: {what} {fg} on {bg}")
                if path in ("/", f"/accounts/{ref}"):
                    controls, reached = self.keyboard_reaches_every_control()
                    self.assertGreaterEqual(reached, controls, f"{path}: the Tab key reached {reached} of {controls} controls")

    def test_the_worklist_and_an_account_show_the_apis_figures_to_the_penny(self):
        from selenium.webdriver.common.by import By
        self.sign_in()
        api = self.api("/api/v1/worklist")
        self.open("/")
        totals = self.browser.find_element(By.CSS_SELECTOR, "ul.totals").text
        for key in ("recoverable_surplus", "arrears", "overdrawn"):
            self.assertIn(pounds(api["totals"][key]), totals, key)
        self.assertIn(f"{api['totals']['reviews_overdue']}\nreviews overdue", totals)
        rows = self.browser.find_elements(By.CSS_SELECTOR, "main table tbody tr")
        self.assertEqual([r.find_element(By.TAG_NAME, "a").text for r in rows], [a["account_ref"] for a in api["accounts"]])
        for row, entry in zip(rows, api["accounts"]):
            for amount in entry["money"].values():
                if amount != "0.00":
                    self.assertIn(pounds(amount), row.text, entry["account_ref"])

        ref = self.first_account_with("SURPLUS")
        account = self.api(f"/api/v1/accounts/{ref}")
        self.open(f"/accounts/{ref}")
        periods = self.browser.find_element(By.ID, "periods").find_element(By.XPATH, "following-sibling::table[1]")
        cells = [r.find_elements(By.TAG_NAME, "td") for r in periods.find_elements(By.CSS_SELECTOR, "tbody tr")]
        self.assertEqual(len(cells), len(account["periods"]))
        for row, period in zip(cells, reversed(account["periods"])):  # the page shows the newest first
            self.assertEqual(row[1].text, pounds(period["opening_balance"]))
            self.assertEqual(row[5].text, pounds(period["closing_balance"]))
            self.assertIn(pounds(period["council_payments"]["actual"]), row[2].text)
        for flag in (f for f in account["flags"] if f["state"] == "open"):
            self.assertIn(pounds(flag["amount"]), self.browser.find_element(By.ID, f"flag-{flag['id']}").text)
        self.assertIn("Closing balance of", self.browser.find_element(By.TAG_NAME, "figcaption").text)
        # Stored names in plain words: the plan's categories, the account type, the review kinds.
        plan = self.browser.find_element(By.ID, "plan").find_element(By.XPATH, "following-sibling::table[1]")
        categories = [r.find_element(By.TAG_NAME, "td").text for r in plan.find_elements(By.CSS_SELECTOR, "tbody tr")]
        self.assertTrue(categories)
        self.assertTrue(all("_" not in c and c[:1].isupper() for c in categories), categories)
        if any(l["category"] == "pa_wages" for l in account["plan"]["lines"]):
            self.assertIn("PA wages", categories)
        facts = self.browser.find_element(By.CSS_SELECTOR, "table.facts").text
        self.assertNotIn(account["account_type"], facts)
        page = self.browser.find_element(By.TAG_NAME, "main").text
        for review in account["reviews"]:
            self.assertNotIn(review["kind"], page)

    def test_an_officer_acts_through_the_forms_and_the_api_shows_each_change_by_their_name(self):
        from selenium.webdriver.common.by import By
        self.sign_in()
        ref = self.first_account_with("SURPLUS")
        account = self.api(f"/api/v1/accounts/{ref}")
        flag = next(f for f in account["flags"] if f["state"] == "open" and f["code"] != "SURPLUS")
        self.open(f"/accounts/{ref}")
        self.fill_and_send(f"form[action$='/flags/{flag['id']}/acknowledge']", {"note": "Spoke to the family: in hand"})
        wait_for(lambda: notice_says(self.browser, "acknowledged"), timeout=10)
        done = next(f for f in self.api(f"/api/v1/flags?account={ref}")["flags"] if f["id"] == flag["id"])
        self.assertEqual(done["acknowledged"]["by"], "Olivia Officer")
        self.assertEqual(done["acknowledged"]["note"], "Spoke to the family: in hand")

        # The API's refusal shows beside the field it names, with what was typed kept.
        self.fill_and_send("form[action$='/exemptions']", {"reason": "hospital_stay", "until": "2001-01-01"})
        error = wait_for(lambda: self.browser.find_elements(By.ID, "exemption-until-error"), timeout=10)
        self.assertIn("has passed", self.browser.find_element(By.ID, "exemption-until-error").text)
        self.assertEqual(self.browser.find_element(By.ID, "exemption-until").get_attribute("value"), "2001-01-01")
        until = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
        self.fill_and_send("form[action$='/exemptions']", {"reason": "hospital_stay", "until": until})
        wait_for(lambda: notice_says(self.browser, "Exemption recorded"), timeout=10)
        exemptions = self.api(f"/api/v1/accounts/{ref}/exemptions")["exemptions"]
        self.assertEqual([(e["until"], e["by"]) for e in exemptions], [(until, "Olivia Officer")])

        self.fill_and_send("form[action$='/recoveries']", {"liabilities": "120.00", "note": "agreed with the holder"})
        wait_for(lambda: notice_says(self.browser, "Recovery proposed"), timeout=10)
        recovery = self.api(f"/api/v1/accounts/{ref}/recoveries")["recoveries"][0]
        self.assertEqual((recovery["state"], recovery["proposed"]["by"]), ("proposed", "Olivia Officer"))

        review = next(r for r in account["reviews"] if r["state"] == "scheduled")
        today = datetime.date.today().isoformat()
        self.fill_and_send(f"form[action$='/reviews/{review['id']}/complete']",
                           {"completed_on": today, "outcome": "Support is working; no change"})
        wait_for(lambda: notice_says(self.browser, "completed"), timeout=10)
        completed = self.api(f"/api/v1/reviews/{review['id']}")
        self.assertEqual((completed["state"], completed["completed"]["by"]), ("completed", "Olivia Officer"))

    def test_without_a_session_or_its_csrf_token_nothing_happens_and_a_reader_sees_no_buttons(self):
        from selenium.webdriver.common.by import By
        self.browser.delete_all_cookies()
        self.open("/reviews")
        self.assertTrue(self.browser.current_url.endswith("/sign-in?next=%2Freviews"), self.browser.current_url)
        self.sign_in()
        ref = self.first_account_with("SURPLUS")
        flag = next(f for f in self.api(f"/api/v1/accounts/{ref}")["flags"] if f["state"] == "open")
        cookie = self.browser.get_cookie("dpmon_session")
        self.assertTrue(cookie["httpOnly"])
        self.assertEqual(cookie["sameSite"], "Strict")
        code, body = curl(self.daemon.url(f"/accounts/{ref}/flags/{flag['id']}/acknowledge"), "--data", "note=forged",
                          "-b", f"dpmon_session={cookie['value']}", auth=False)
        self.assertEqual(code, 403, body)
        self.assertIn("CSRF", body)
        still = next(f for f in self.api(f"/api/v1/flags?account={ref}")["flags"] if f["id"] == flag["id"])
        self.assertIsNone(still["acknowledged"])

        self.sign_in("read")
        self.open(f"/accounts/{ref}")
        self.assertEqual(self.browser.find_elements(By.CSS_SELECTOR, "main form[method=post]"), [])
        self.assertIn("Rita Reader (read)", self.browser.find_element(By.TAG_NAME, "header").text)
        self.browser.find_element(By.CSS_SELECTOR, "header form button").click()  # sign out
        wait_for(lambda: "/sign-in" in self.browser.current_url, timeout=10)
        self.open("/")
        self.assertIn("/sign-in", self.browser.current_url)


if __name__ == "__main__":
    harness.main()
