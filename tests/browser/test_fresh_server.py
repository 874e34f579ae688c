"""A freshly started server, whose very first request asks for a page by its URL.

Streamlit runs a `pages/` folder as an old-style multipage app until the first
`st.navigation` call of the process; the pages send such a run back through app.py. These
tests each get a server of their own and make its first request.
"""

from __future__ import annotations

import pytest

from .conftest import shoot, start_app, stop_app, wait_for_app

pytestmark = pytest.mark.slow


@pytest.fixture
def fresh_server(tmp_path):
    server = start_app(tmp_path)
    try:
        yield server
    finally:
        stop_app(server)


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def test_first_request_for_an_instructor_page_shows_a_guest_the_problems(fresh_server, page):
    page.goto(f"{fresh_server.url}/gradebook")
    page.get_by_role("heading", name="Problems").wait_for()
    wait_for_app(page)
    shoot(page, "fresh-server-gradebook-url-as-guest")
    assert page.get_by_role("heading", name="Gradebook").count() == 0
    assert page.get_by_role("link", name="Gradebook").count() == 0
    assert page.get_by_text("Practising as a guest").count() == 1


def test_first_request_for_a_problem_opens_it_inside_the_frame(fresh_server, page):
    page.goto(f"{fresh_server.url}/practice?problem=eigen-2x2")
    page.get_by_role("heading", name="Eigenvalues and eigenvectors of a symmetric 2×2 matrix").wait_for()
    wait_for_app(page)
    assert page.get_by_text("Practising as a guest").count() == 1
    assert page.get_by_role("link", name="Progress").count() == 1
