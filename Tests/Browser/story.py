"""What both browser stories share: the step runner, waits that fail with their reason, the
headless Chromium they drive, the login form, and a fetch from inside a page with its login."""

import time
import traceback
import urllib.parse

from selenium import webdriver
from selenium.common.exceptions import (NoSuchElementException, StaleElementReferenceException,
                                        TimeoutException, WebDriverException)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

WIDE = (1280, 900)
NARROW = (390, 844)
STARTED = time.monotonic()


class StepFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise StepFailed(message)


def log(text):
    print(f"[{time.monotonic() - STARTED:6.1f}s] {text}", flush=True)


def browser(download_dir=None):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                f"--window-size={WIDE[0]},{WIDE[1]}", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--autoplay-policy=no-user-gesture-required", "--mute-audio"):
        options.add_argument(arg)
    if download_dir:
        options.add_experimental_option("prefs", {
            "download.default_directory": download_dir, "download.prompt_for_download": False,
            "download.directory_upgrade": True, "safebrowsing.enabled": False})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_window_size(*WIDE)
    driver.set_script_timeout(10)
    driver.set_page_load_timeout(20)
    if download_dir:
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": download_dir})
    return driver


def fit_window(driver, width, min_height):
    """Makes the window `width` wide and tall enough to show the whole page (a full-page screenshot)."""
    driver.set_window_size(width, min_height)
    time.sleep(0.2)
    chrome = driver.execute_script("return outerHeight - innerHeight")
    height = driver.execute_script("return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)")
    driver.set_window_size(width, min(max(height + chrome, min_height), 10000))
    time.sleep(0.3)


def path_of(driver):
    return urllib.parse.urlsplit(driver.current_url).path


def submit_login(driver, base, role, pin):
    """The login form filled in and sent, as a person would."""
    driver.get(base + "/login")
    Select(driver.find_element(By.ID, "role")).select_by_value(role)
    driver.find_element(By.ID, "pin").send_keys(pin)
    driver.find_element(By.ID, "login").click()


def wait(driver, what, timeout, predicate):
    """Polls `predicate` until it is true. A page that navigates mid-poll (a login's redirect)
    leaves elements stale or not there yet: that is "not yet", never a failure of the step."""
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1,
                             ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)
                             ).until(lambda d: predicate(d))
    except TimeoutException:
        raise StepFailed(f"{what} (waited {timeout} s; page {driver.current_url})") from None


def api(driver, method, path, body=None, csrf=True):
    """A fetch from the page, with its cookies (and its CSRF token for a POST): {status, body, text}."""
    return driver.execute_async_script("""
        var done = arguments[arguments.length - 1];
        var method = arguments[0], path = arguments[1], body = arguments[2], csrf = arguments[3];
        var headers = {'Content-Type': 'application/json'};
        if (csrf) headers['X-CSRF-Token'] = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';
        fetch(path, {method: method, credentials: 'same-origin', headers: headers,
                     body: method === 'GET' ? undefined : JSON.stringify(body || {})})
          .then(function (r) { return r.text().then(function (t) {
              var j = null; try { j = JSON.parse(t); } catch (e) {}
              done({status: r.status, body: j, text: t}); }); })
          .catch(function (e) { done({status: 0, body: null, text: String(e)}); });
    """, method, path, body, csrf)


def run_steps(steps, after_step=None):
    """Runs `(name, step, needs)` in order: a step whose needs did not pass is skipped. Each
    step's key is its name up to the first '.'. `after_step(key)` may return a reason to stop
    (a process that died). Returns {key: pass | fail | skipped}, and `stopped` when one did."""
    results = {}
    for name, step, needs in steps:
        key = name.split(".")[0]
        unmet = [k for k in needs if results.get(k) != "pass"]
        if unmet:
            results[key] = "skipped"
            print(f"SKIP {name} (needs {', '.join(unmet)})", flush=True)
            continue
        log(f"--- {name}")
        try:
            step()
            results[key] = "pass"
            print(f"PASS {name}", flush=True)
        except StepFailed as e:
            results[key] = "fail"
            print(f"FAIL {name}: {e}", flush=True)
        except WebDriverException as e:
            results[key] = "fail"
            print(f"FAIL {name}: browser error: {e.msg if hasattr(e, 'msg') else e}", flush=True)
            traceback.print_exc()
        except Exception as e:
            results[key] = "fail"
            print(f"FAIL {name}: {type(e).__name__}: {e}", flush=True)
            traceback.print_exc()
        stop = after_step(key) if after_step else None
        if stop:
            print(f"FAIL {stop}", flush=True)
            results["stopped"] = "fail"
            break
    return results
