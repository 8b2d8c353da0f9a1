"""Helpers for the browser tests in ``tests/e2e``: signing in with the keyboard,
moving focus with Tab, and ``check_page`` (axe-core, 320 px reflow, screenshots).

A journey imports what it needs::

    from tests.e2e.browser import check_page, login, tab_to
"""

from __future__ import annotations

import os
import re
import shutil
import weakref
from pathlib import Path

from django.conf import settings

#: Debian's Chromium (scripts/system-packages.sh installs it). Never a downloaded browser.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
#: The desktop size every page is checked and photographed at.
VIEWPORT = {"width": 1280, "height": 800}
#: WCAG 1.4.10 Reflow: 1280 CSS px at 400% zoom is 320 CSS px wide.
REFLOW_WIDTH = 320
#: The pinned axe-core from package.json (``make test`` runs ``npm install``).
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
#: ``make screenshots`` sets this: key pages are also copied there for the README.
DOCS_SCREENSHOTS = os.environ.get("CSPR_DOCS_SCREENSHOTS", "")

# page -> {"folder": Path, "javascript": bool, "problems": [str]}; filled by the fixtures.
_pages: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
#: Screenshot folders written in this run (printed at the end of the run).
written_folders: set[Path] = set()
DOCS_MAX_BYTES = 300 * 1024  # committed pictures stay small
_docs_names: dict[str, str] = {}
_cleared: set[Path] = set()


def register_page(page, *, test_name: str, javascript: bool = True) -> None:
    """Called by the ``page``/``new_page`` fixtures: where this page's screenshots go,
    and a watch for JavaScript errors and failed asset requests."""
    folder = ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", test_name)
    if folder not in _cleared:  # no stale pictures from an earlier run of this test
        shutil.rmtree(folder, ignore_errors=True)
        _cleared.add(folder)
    state = {"folder": folder, "javascript": javascript, "problems": []}
    _pages[page] = state
    page.on("pageerror", lambda error: state["problems"].append(f"JavaScript error: {error}"))

    def on_response(response):
        if response.status >= 400 and response.request.resource_type != "document":
            state["problems"].append(f"{response.status} for {response.url}")

    page.on("response", on_response)


def _state(page) -> dict:
    try:
        return _pages[page]
    except KeyError:
        raise AssertionError("check_page needs a page from the `page` or `new_page` fixture") from None


# --- keyboard ---------------------------------------------------------------------


def is_focused(locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page, locator, *, max_presses: int = 150, backwards: bool = False):
    """Press Tab (or Shift+Tab) until ``locator`` has the focus, as a keyboard user
    would; fails if it never does (not focusable, or hidden from the tab order)."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(max_presses):
        if is_focused(locator):
            return locator
        page.keyboard.press(key)
    if is_focused(locator):
        return locator
    raise AssertionError(f"{locator} never received focus after {max_presses} presses of {key}")


def fill_by_keyboard(page, locator, text: str) -> None:
    """Tab to a field and type into it (clearing what was there first)."""
    tab_to(page, locator)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def date_group(scope, legend: str):
    """A GOV.UK date input (a fieldset named by its legend) in ``scope``."""
    return scope.get_by_role("group", name=legend)


def fill_date(scope, legend: str, day) -> None:
    """Type a date (``datetime.date``) into the Day, Month and Year boxes of the date
    input whose legend is ``legend``."""
    group = date_group(scope, legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def fill_date_by_keyboard(page, legend: str, day, *, within=None) -> None:
    """The same, tabbing to each box and typing, as a keyboard user would (the date
    input named ``legend`` in ``within``, a part of the page, or anywhere on it)."""
    group = date_group(within or page, legend)
    for part, value in (("Day", day.day), ("Month", day.month), ("Year", day.year)):
        fill_by_keyboard(page, group.get_by_label(part), str(value))


def login(page, user, password: str | None = None, *, expect_success: bool = True) -> None:
    """Sign ``user`` in through the real login form with the keyboard only:
    Tab to each field from the top of the page, type, press Enter."""
    from cspr.demo import DEMO_PASSWORD

    page.goto("/accounts/login/")
    username = getattr(user, "username", user)
    fill_by_keyboard(page, page.get_by_label("Username"), username)
    fill_by_keyboard(page, page.get_by_label("Password"), password or DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    if expect_success:
        assert "/accounts/login/" not in page.url, f"sign-in as {username} failed: {page.url}"
        enter_one_time_code(page, username)


def _code_for(device) -> str:
    """A code the authenticator app shows now, computed from the device's key (RFC 6238,
    ``tests/security/totp.py``), for a 30-second step django-otp has not yet accepted: a
    second sign-in within the same step takes the next step's code, as an app would show
    a few seconds later (django-otp allows one step of drift); else it waits."""
    import time

    from tests.security.totp import totp

    while True:
        device.refresh_from_db()
        now = time.time()
        step = int(now // device.step)
        for candidate in (step, step + device.tolerance):
            if device.last_t is None or candidate > device.last_t:
                return totp(device.bin_key, at=candidate * device.step, digits=device.digits)
        time.sleep(device.step - now % device.step + 0.1)


def enter_one_time_code(page, username: str) -> None:
    """After the password: on the code page, type the code from the member's
    authenticator app; on the set-up page (no app yet), read the key the page shows as
    text, as someone typing it into their app would, and type the code it gives."""
    import base64

    from django_otp.plugins.otp_totp.models import TOTPDevice

    if "/accounts/two-factor/" not in page.url:
        return
    if "/accounts/two-factor/verify/" not in page.url:
        text = page.locator("#secret-key").inner_text().replace(" ", "")
        key = base64.b32decode(text + "=" * (-len(text) % 8))
        device = TOTPDevice.objects.get(user__username=username, confirmed=False)
        assert device.bin_key == key, "the key shown is not the device's"
    else:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    fill_by_keyboard(page, page.get_by_label("Code from your authenticator app"), _code_for(device))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/accounts/two-factor/" not in page.url, f"the code for {username} was refused: {page.url}"


# --- checks -----------------------------------------------------------------------


def run_axe(page) -> list[dict]:
    """axe-core's WCAG 2.2 A/AA violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                targets: v.nodes.map(n => n.target.join(" ")),
            }));
        }""",
        AXE_TAGS,
    )


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]")
        lines.extend(f"    {target}" for target in v["targets"])
    return "\n".join(lines)


def overflowing_elements(page, width: int) -> list[str]:
    """Elements whose right edge passes ``width``: what stops the page reflowing."""
    return page.evaluate(
        """(width) => {
            const found = [];
            for (const el of document.body.querySelectorAll("*")) {
                const box = el.getBoundingClientRect();
                if (box.right > width + 1 && box.width > 0) {
                    const id = el.id ? "#" + el.id : "";
                    const cls = el.classList.length ? "." + [...el.classList].join(".") : "";
                    found.push(`${el.tagName.toLowerCase()}${id}${cls} (right edge ${Math.round(box.right)}px)`);
                }
            }
            return found.slice(0, 15);
        }""",
        width,
    )


def screenshot(page, name: str) -> Path:
    folder = _state(page)["folder"]
    folder.mkdir(parents=True, exist_ok=True)
    written_folders.add(folder.parent)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def save_small_png(source: Path, target: Path) -> None:
    """Copy a screenshot as a 256-colour PNG: the flat GOV.UK pages look the same and
    the committed file is about a third of the size. (Pillow comes with WeasyPrint.)"""
    from PIL import Image

    with Image.open(source) as image:
        image.convert("RGB").quantize(
            colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        ).save(target, optimize=True)


def check_page(page, name: str, *, key: bool = False, reflow: bool = True) -> None:
    """Check the page as it is now, then photograph it:

    - no uncaught JavaScript error and no failed asset request since the page opened;
    - axe-core finds no WCAG 2.2 A/AA violation (fails listing each one);
    - at 320 CSS px wide nothing scrolls sideways (WCAG 1.4.10 Reflow);
    - saves ``test-artifacts/screenshots/<test>/<name>.png`` (1280 px, full page)
      and ``<name>-320px.png``.

    ``key=True`` marks a page for the README: ``make screenshots`` copies it to
    ``docs/screenshots/<name>.png`` (so ``name`` must be unique across the suite).
    Pages without JavaScript get the screenshots only (axe needs JavaScript).
    """
    state = _state(page)
    failures = []
    if state["problems"]:
        failures.append("Problems while loading:\n" + "\n".join(state["problems"]))
        state["problems"].clear()
    if state["javascript"]:
        violations = run_axe(page)
        if violations:
            failures.append(
                f"axe-core found {len(violations)} WCAG 2.2 A/AA violation(s):\n"
                + format_violations(violations)
            )
    path = screenshot(page, name)
    if key and DOCS_SCREENSHOTS:
        assert _docs_names.setdefault(name, state["folder"].name) == state["folder"].name, (
            f"two tests save the key screenshot {name!r}"
        )
        docs = Path(DOCS_SCREENSHOTS)
        docs.mkdir(parents=True, exist_ok=True)
        copy = docs / f"{name}.png"
        save_small_png(path, copy)
        assert copy.stat().st_size <= DOCS_MAX_BYTES, (
            f"{copy} is {copy.stat().st_size // 1024} KB: too big for docs/screenshots/"
        )
    if reflow:
        original = page.viewport_size
        page.set_viewport_size({"width": REFLOW_WIDTH, "height": 800})
        try:
            scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
            if scroll_width > REFLOW_WIDTH + 1:
                failures.append(
                    f"At {REFLOW_WIDTH} CSS px the page is {scroll_width} px wide (WCAG 1.4.10 "
                    "Reflow). Too wide:\n  " + "\n  ".join(overflowing_elements(page, REFLOW_WIDTH))
                )
            screenshot(page, f"{name}-{REFLOW_WIDTH}px")
        finally:
            page.set_viewport_size(original)
    if failures:
        raise AssertionError(f"check_page({name!r}) at {page.url}:\n" + "\n\n".join(failures))


def choose_by_keyboard(page, group_label: str, option: str, *, within=None) -> None:
    """Pick a radio button as a keyboard user does: Tab into the group (its first
    option, when none is chosen), then the arrow keys until ``option`` has the focus,
    then Space. ``within``: the part of the page holding the group (a fieldset)."""
    group = (within or page).get_by_role("group", name=group_label, exact=True)
    radios = group.get_by_role("radio")
    target = group.get_by_role("radio", name=option, exact=True)
    tab_to(page, radios.first if not group.locator(":checked").count() else group.locator(":checked"))
    for _ in range(radios.count()):
        if is_focused(target):
            break
        page.keyboard.press("ArrowDown")
    assert is_focused(target), f"the arrow keys never reached {option!r} in {group_label!r}"
    page.keyboard.press("Space")


def tick_by_keyboard(page, locator) -> None:
    """Tab to a checkbox and press Space to tick it."""
    tab_to(page, locator)
    page.keyboard.press("Space")


def press_button(page, name: str) -> None:
    """Tab to a button (or a link styled as one) and press Enter, waiting for the next page."""
    target = page.get_by_role("button", name=name, exact=True)
    if not target.count():
        target = page.get_by_role("link", name=name, exact=True)
    tab_to(page, target)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def url(name: str, *args) -> str:
    """The path of a named URL, for pages the journeys cannot yet reach by a link."""
    from django.urls import reverse

    return reverse(name, args=args)


def post_from_page(page, path: str) -> None:
    """POST an empty form to ``path`` with the CSRF token of a form on the current
    page: for a POST-only step whose button is not on the page yet."""
    with page.expect_navigation():
        page.evaluate(
            """(path) => {
                const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
                const form = document.createElement("form");
                form.method = "post";
                form.action = path;
                const input = document.createElement("input");
                input.type = "hidden"; input.name = "csrfmiddlewaretoken"; input.value = token;
                form.appendChild(input);
                document.body.appendChild(form);
                form.submit();
            }""",
            path,
        )
