"""Section 8 of the contract: the admin dashboard at GET /, served by the real binary and
driven in headless Chromium (browser.py). The screenshot of each run is kept; its path is printed."""
import os
import shutil

import pytest

from browser import artifact_dir, browser, wait_for
from shopd import ADMIN_EMAIL, ADMIN_PASSWORD, admin_env, admin_token, new_customer
from test_orders import make_product, order
from test_payments import SECRET, pay

HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture
def shop(make_server):
    server = make_server(env=dict(admin_env(), SHOPD_WEBHOOK_SECRET=SECRET))
    return server, admin_token(server)


def test_page_is_served_with_security_headers(shop):
    server, _ = shop
    r = server.get("/")
    assert r.status == 200, r
    assert r.header("content-type") == "text/html; charset=utf-8"
    assert r.header("x-content-type-options") == "nosniff"
    assert r.header("x-frame-options") == "DENY"
    assert r.header("referrer-policy") == "no-referrer"
    csp = r.header("content-security-policy")
    directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    # No inline code at all: scripts and styles are the page's own files.
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "<form id=\"login-form\"" in r.body
    # The page holds no data and pulls nothing from elsewhere.
    assert "http://" not in r.body.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in r.body
    assert server.request("HEAD", "/").status == 200


def sign_in(driver, base, email, password):
    from selenium.webdriver.common.by import By
    driver.get(base + "/")
    wait_for(driver, lambda: driver.find_element(By.ID, "email").is_displayed(), "the sign-in form")
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "login-submit").click()


def test_sign_in_see_chart_orders_top_products_and_low_stock(shop, capsys):
    from selenium.webdriver.common.by import By
    server, admin = shop
    base = f"http://127.0.0.1:{server.port}"
    # A paid order today, a pending one, and a product low on stock.
    lamp = make_product(server, admin, price=2599, stock=50, name="Dashboard Desk Lamp")
    low = make_product(server, admin, price=999, stock=3, name="Nearly Gone Mug")
    _, customer, email, password = new_customer(server)
    paid = order(server, customer, [(lamp["id"], 2)]).json
    assert pay(server, customer, paid["id"]).json["status"] == "succeeded"
    pending = order(server, customer, [(low["id"], 1)]).json

    driver, profile = browser()
    try:
        # A customer account is turned away.
        sign_in(driver, base, email, password)
        wait_for(driver, lambda: "admin" in driver.find_element(By.ID, "login-error").text, "the admin-only message")
        assert not any(e.is_displayed() for e in driver.find_elements(By.ID, "dashboard"))
        # A wrong password says so.
        driver.find_element(By.ID, "email").clear()
        driver.find_element(By.ID, "password").clear()
        sign_in(driver, base, ADMIN_EMAIL, "wrong-password-1")
        wait_for(driver, lambda: "Wrong" in driver.find_element(By.ID, "login-error").text, "the bad-password message")

        driver.find_element(By.ID, "email").clear()
        driver.find_element(By.ID, "password").clear()
        driver.get_log("browser")  # the refused sign-ins above logged their 401s; start afresh
        sign_in(driver, base, ADMIN_EMAIL, ADMIN_PASSWORD)
        wait_for(driver, lambda: driver.find_element(By.TAG_NAME, "body").get_attribute("data-loaded") == "true",
                 "the dashboard to load")
        assert driver.find_element(By.ID, "dashboard").is_displayed()
        assert not driver.find_element(By.ID, "login").is_displayed()
        assert driver.find_element(By.ID, "dashboard-error").text == ""

        chart = driver.find_element(By.ID, "sales-chart")
        assert chart.get_attribute("data-points") == "30"
        circles = chart.find_elements(By.TAG_NAME, "circle")
        assert len(circles) == 30
        revenue = [int(c.get_attribute("data-revenue")) for c in circles]
        assert sum(revenue) == paid["total"] == 5198

        rows = driver.find_elements(By.CSS_SELECTOR, "#orders-table tbody tr")
        by_id = {r.get_attribute("data-order-id"): r.text for r in rows}
        assert paid["id"] in by_id and "paid" in by_id[paid["id"]]
        assert pending["id"] in by_id and "pending payment" in by_id[pending["id"]]

        top = driver.find_element(By.ID, "top-products").text
        assert "Dashboard Desk Lamp" in top
        low_stock = driver.find_element(By.ID, "low-stock").text
        assert "Nearly Gone Mug" in low_stock
        assert "Revenue today" in driver.find_element(By.ID, "summary").text

        # The Content-Security-Policy let the page's own script and style run, and nothing was blocked.
        logs = driver.get_log("browser")
        blocked = [e for e in logs if "Content Security Policy" in e.get("message", "")]
        assert blocked == [], blocked
        errors = [e for e in logs if e.get("level") == "SEVERE"]
        assert errors == [], errors

        shot = os.path.join(artifact_dir(), "dashboard.png")
        driver.save_screenshot(shot)
        with capsys.disabled():
            print(f"\ndashboard screenshot: {shot}")
        if os.environ.get("SHOPD_UPDATE_SCREENSHOT"):
            shutil.copy(shot, os.path.join(HERE, "..", "..", "docs", "dashboard.png"))

        # Reloading keeps the session (sessionStorage); signing out forgets it.
        driver.refresh()
        wait_for(driver, lambda: driver.find_element(By.TAG_NAME, "body").get_attribute("data-loaded") == "true",
                 "the dashboard after a reload")
        driver.find_element(By.ID, "signout").click()
        wait_for(driver, lambda: driver.find_element(By.ID, "login").is_displayed(), "the sign-in form again")
        assert driver.execute_script("return sessionStorage.length") == 0
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
