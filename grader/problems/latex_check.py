"""Check that the math in problem text will render in the browser (KaTeX).

Streamlit renders ``$...$`` and ``$$...$$`` with KaTeX and shows an unknown macro in red
without raising anything, so the check happens here: every ``\\macro`` inside math must be
one KaTeX supports, braces must balance, and every ``$`` must be closed.
"""

from __future__ import annotations

import re

__all__ = ["latex_problems", "KATEX_MACROS"]

# The KaTeX macros a maths-for-deep-learning course needs (KaTeX supports many more; add
# here when a problem needs one, after checking https://katex.org/docs/supported).
KATEX_MACROS = frozenset("""
alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi
pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta
Lambda Xi Pi Sigma Upsilon Phi Psi Omega
frac dfrac tfrac cfrac sqrt cdot times div pm mp ast star circ bullet cdots ldots dots vdots
ddots sum prod int iint oint lim limsup liminf max min sup inf arg argmax argmin exp log ln
sin cos tan sinh cosh tanh arcsin arccos arctan sec csc cot det dim ker rank tr trace
operatorname mathrm mathbf mathit mathcal mathbb mathsf boldsymbol bm text textbf textit
left right big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr middle
le leq ge geq ne neq approx sim simeq cong equiv propto ll gg in notin ni subset subseteq
supset supseteq cup cap setminus emptyset varnothing forall exists nexists neg land lor
implies impliedby iff to gets mapsto rightarrow leftarrow Rightarrow Leftarrow
leftrightarrow Leftrightarrow longrightarrow longmapsto uparrow downarrow
partial nabla infty Re Im hbar ell prime
hat bar tilde vec dot ddot overline underline widehat widetilde overbrace underbrace
begin end matrix pmatrix bmatrix vmatrix Vmatrix cases aligned align gathered array
quad qquad , ; ! : displaystyle textstyle scriptstyle
lvert rvert lVert rVert vert Vert mid langle rangle lceil rceil lfloor rfloor
top intercal perp parallel odot otimes oplus circledast
mathbb boxed color textcolor tag label not stackrel overset underset binom tbinom dbinom
""".split())

DOLLARS = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)
MACRO = re.compile(r"\\([A-Za-z]+)")


def latex_problems(markdown: str) -> list[str]:
    """Sentences describing what in ``markdown``'s math will not render; empty if all will."""
    problems: list[str] = []
    remainder = DOLLARS.sub("", markdown.replace("\\$", ""))
    if "$" in remainder:
        problems.append("a `$` is never closed (math must be written as $...$ or $$...$$)")
    for match in DOLLARS.finditer(markdown.replace("\\$", "")):
        math = match.group(1) or match.group(2)
        # "\\" is a row break, not the start of a macro: \\x is a break then x
        commands = math.replace("\\\\", " ")
        unknown = sorted({m for m in MACRO.findall(commands) if m not in KATEX_MACROS})
        for name in unknown:
            problems.append(f"\\{name} is not supported by the math renderer (KaTeX), in "
                            f"${math.strip()[:60]}$")
        depth = 0
        for ch in math.replace("\\{", "").replace("\\}", ""):
            depth += ch == "{"
            depth -= ch == "}"
            if depth < 0:
                break
        if depth != 0:
            problems.append(f"unbalanced braces in ${math.strip()[:60]}$")
    return problems
