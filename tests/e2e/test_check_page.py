"""check_page itself: it must fail on the problems it is there to find."""

import pytest

from tests.e2e.browser import ARTIFACTS, check_page

BROKEN = """<!DOCTYPE html><html lang="en-GB"><head><title>Broken</title></head>
<body><main><h1>Broken</h1><img src="/static/no-such-image.png">
<div style="width: 900px">A fixed-width box</div></main></body></html>"""


def test_check_page_fails_listing_axe_violations_reflow_failures_and_missing_assets(page, demo):
    page.goto("/accounts/login/")
    page.set_content(BROKEN)

    with pytest.raises(AssertionError) as failure:
        check_page(page, "broken")

    message = str(failure.value)
    assert "image-alt" in message
    assert "\n    img\n" in message  # the offending node's target
    assert "At 320 CSS px the page is 9" in message
    assert "div (right edge" in message
    assert "404 for " in message and "/static/no-such-image.png" in message
    folder = ARTIFACTS / "test_check_page_fails_listing_axe_violations_reflow_failures_and_missing_assets"
    assert (folder / "broken.png").exists()
    assert (folder / "broken-320px.png").exists()


def test_check_page_passes_the_sign_in_page(page, demo):
    page.goto("/accounts/login/")
    check_page(page, "sign-in")
