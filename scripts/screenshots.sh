#!/usr/bin/env bash
# Regenerates the dashboard screenshots in docs/screenshots/ from the demo data: runs the demo command
# (scripts/demo.sh) on a fresh state and a free loopback port, signs in as its officer in headless
# Chromium at a council laptop's 1366x768, and saves the worklist and the account most at stake.
# Usage: bash scripts/screenshots.sh        (installs the test packages: bash scripts/setup.sh --tests)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build=${DPMON_BUILD_DIR:-$root/build}
bash scripts/setup.sh --tests
work=$(mktemp -d /tmp/dpmon-screens.XXXXXX)
# The demo itself (its config, data and officer), on a fresh state and a free port.
DPMON_BUILD_DIR=$build DPMON_DEMO_STATE=$work DPMON_DEMO_LISTEN=127.0.0.1:0 setsid bash scripts/demo.sh >"$work/log" 2>&1 &
pid=$!
trap 'kill -- -"$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 600); do grep -q "reconciled" "$work/log" && break; sleep 0.2; done
port=$(grep -o "listening on http://127.0.0.1:[0-9]*" "$work/log" | grep -o "[0-9]*$")
[ -n "$port" ] || { cat "$work/log"; echo "screenshots: the demo did not start" >&2; exit 1; }
/usr/bin/python3 - "$port" "$work/officer-token" "$root/docs/screenshots" <<'PY'
import sys
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
port, token_file, out = sys.argv[1], sys.argv[2], sys.argv[3]
options = webdriver.ChromeOptions()
for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,768", "--hide-scrollbars"):
    options.add_argument(a)
options.binary_location = "/usr/bin/chromium"
browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    base = f"http://127.0.0.1:{port}"
    browser.get(base + "/sign-in")
    browser.find_element(By.ID, "sign-in-token").send_keys(open(token_file).read().strip())
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    browser.get(base + "/")
    browser.save_screenshot(f"{out}/worklist.png")
    rows = browser.find_elements(By.CSS_SELECTOR, "main table tbody tr")
    chosen = next((r for r in rows if "SURPLUS" in r.text), rows[0])
    browser.get(chosen.find_element(By.TAG_NAME, "a").get_attribute("href"))
    browser.set_window_size(1366, 1500)  # the heading, the plan, the balance chart and the periods
    browser.save_screenshot(f"{out}/account.png")
    print("wrote", f"{out}/worklist.png", f"{out}/account.png")
finally:
    browser.quit()
PY
