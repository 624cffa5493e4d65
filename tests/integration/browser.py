"""Headless Chromium for the browser tests (test_dashboard.py, test_storefront.py): Debian's
chromium, chromium-driver and python3-selenium, which scripts/install-deps installs, plus
axe-core for accessibility checks, which it installs with npm into node_modules here."""
import json
import os
import shutil
import tempfile
import time

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
HERE = os.path.dirname(os.path.abspath(__file__))
AXE = os.path.join(HERE, "node_modules", "axe-core", "axe.min.js")


def browser(width=1280, height=1400):
    """(driver, profile dir): quit the driver and remove the profile when done."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail("python3-selenium is missing: run scripts/install-deps")
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.path.exists(path):
            pytest.fail(f"{path} is missing: run scripts/install-deps")
    profile = tempfile.mkdtemp(prefix="shopd-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", f"--window-size={width},{height}", f"--user-data-dir={profile}"]:
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    return driver, profile


def wait_for(driver, predicate, what, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception:  # the element is not there yet
            pass
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}; page: {driver.page_source[:2000]}")


def artifact_dir():
    d = os.environ.get("SHOPD_ARTIFACTS") or os.path.join(tempfile.gettempdir(), "shopd-artifacts")
    os.makedirs(d, exist_ok=True)
    return d


_axe_source = []


def axe_violations(driver, impacts=("serious", "critical")):
    """Runs axe-core (pinned in package.json) on the page as it is now; answers the
    violations of those impacts as readable lines, [] when there are none."""
    if not _axe_source:
        if not os.path.exists(AXE):
            pytest.fail(f"{AXE} is missing: run scripts/install-deps (npm ci in tests/integration)")
        with open(AXE, encoding="utf-8") as f:
            _axe_source.append(f.read())
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(_axe_source[0])
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(JSON.stringify(r.violations)), e => done(JSON.stringify({error: String(e)})));")
    found = json.loads(result)
    if isinstance(found, dict):
        raise AssertionError(f"axe-core failed: {found['error']}")
    return [f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
            for v in found if v.get("impact") in impacts]
