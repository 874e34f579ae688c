"""Two small ``st.components.v2`` components, served by the app itself (nothing from a CDN).

- ``math_field``: MathLive's visual math editor, imported from ``static/node_modules``
  (installed by ``npm ci --prefix static``, served at ``/app/static/``). It reports the
  LaTeX it holds; the page sends that LaTeX through the same reader as the text box.
- ``session_cookie``: keeps the opaque session token in a first-party cookie so a reload
  signs the user back in (``st.context.cookies`` reads it when the page connects).
- ``guest_store``: keeps a guest's work (sealed and signed by the server, see
  ``grader.guest_state``) in the tab's ``sessionStorage`` and hands it back after a reload.

v2 components run in the page, unsandboxed: their HTML and JS here are constants, and
student text only ever travels as ``data`` (JSON), never into markup or code.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

COOKIE_NAME = "grader_session"

_MATH_FIELD_CSS = """
math-field { width: 100%; min-height: 2.6rem; font-size: 1.25rem; padding: 0.35rem 0.6rem;
  border: 1px solid rgba(49, 51, 63, 0.25); border-radius: 0.5rem; box-sizing: border-box; }
math-field:focus-within { outline: 2px solid var(--st-primary-color, #3b5bdb); }
.grader-math-status { font-size: 0.8rem; color: rgba(49, 51, 63, 0.6); }
"""

_MATH_FIELD_JS = """
export default function (component) {
  const { data, parentElement, setStateValue } = component;
  if (parentElement.querySelector("math-field")) { return; }
  const status = document.createElement("div");
  status.className = "grader-math-status";
  status.textContent = "Loading the visual editor…";
  parentElement.appendChild(status);
  const base = window.location.origin + data.static;
  import(base + "node_modules/mathlive/mathlive.min.mjs").then(({ MathfieldElement }) => {
    MathfieldElement.fontsDirectory = base + "node_modules/mathlive/fonts";
    MathfieldElement.soundsDirectory = null;
    if (parentElement.querySelector("math-field")) { status.remove(); return; }
    const field = new MathfieldElement();
    field.setAttribute("aria-label", data.label);
    field.value = data.value || "";
    let timer = null;
    const send = () => { clearTimeout(timer); setStateValue("latex", field.value); };
    field.addEventListener("change", send);
    field.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(send, 350); });
    status.replaceWith(field);
  }).catch(() => {
    status.textContent = "The visual editor could not load; type in the text box instead.";
  });
}
"""

_COOKIE_JS = """
export default function (component) {
  const { data } = component;
  const prefix = data.name + "=";
  const found = document.cookie.split("; ").find((c) => c.startsWith(prefix));
  const current = found ? decodeURIComponent(found.slice(prefix.length)) : null;
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  if (data.token && current !== data.token) {
    document.cookie = prefix + encodeURIComponent(data.token) + "; path=/; max-age=" +
      data.max_age + "; SameSite=Strict" + secure;
  } else if (!data.token && data.clear && current !== null) {
    document.cookie = prefix + "; path=/; max-age=0; SameSite=Strict" + secure;
  }
}
"""

_GUEST_JS = """
export default function (component) {
  const { data, setStateValue } = component;
  const name = "grader_guest";
  const stored = window.sessionStorage.getItem(name);
  if (data.restore && stored && stored !== data.sealed) {
    setStateValue("restored", stored);   // one rerun, only when there is work to bring back
  } else if (typeof data.sealed === "string") {
    window.sessionStorage.setItem(name, data.sealed);
  }
}
"""

_math_field = st.components.v2.component("grader_math_field", css=_MATH_FIELD_CSS,
                                         js=_MATH_FIELD_JS)
_cookie = st.components.v2.component("grader_session_cookie", js=_COOKIE_JS)
_guest = st.components.v2.component("grader_guest_store", js=_GUEST_JS)


MATHLIVE = Path(__file__).resolve().parents[2] / "static" / "node_modules" / "mathlive"


def mathlive_installed() -> bool:
    """Whether ``npm ci --prefix static`` has put MathLive where the app serves it from."""
    return (MATHLIVE / "package.json").is_file()


def _static_prefix() -> str:
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static/" if base else "/app/static/"


def math_field(*, key: str, label: str, value: str = "",
               on_change: Callable[..., None] | None = None, args: tuple = ()) -> str:
    """Mount the visual editor; return the LaTeX it holds ('' until the student types)."""
    result: Any = _math_field(key=key, data={"static": _static_prefix(), "label": label,
                                             "value": value},
                              default={"latex": value}, height="content",
                              on_latex_change=(lambda: on_change(*args)) if on_change
                              else (lambda: None))
    latex = getattr(result, "latex", None)
    return latex if isinstance(latex, str) else ""


def session_cookie(token: str | None, *, max_age: int, clear: bool) -> None:
    """Keep the browser's session cookie equal to ``token`` (delete it when ``clear``)."""
    _cookie(key="grader_session_cookie", data={"name": COOKIE_NAME, "token": token,
                                               "max_age": int(max_age), "clear": bool(clear)},
            height=0)


def guest_store(*, sealed: str, restore: bool, on_restored: Callable[[], None]) -> None:
    """Store ``sealed`` in the tab; with ``restore``, first hand back what the tab kept, if
    it kept something else."""
    _guest(key="grader_guest_store", data={"sealed": sealed, "restore": bool(restore)},
           default={"restored": None}, height=0, on_restored_change=on_restored)
