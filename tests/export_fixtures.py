"""Entries the export-format tests share: a paper known by its arXiv id, one known only by
its title, an old-style arXiv id, two papers whose citation keys collide, and one whose
every field tries to break a format's syntax."""

from __future__ import annotations

import datetime as dt

from paperterm.model import Entry, Link, Paper, PaperMeta, PaperState


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


VERLTOOL = Entry(
    Paper(
        id="k3q9zfa",
        title="VerlTool: Towards Holistic Agentic Reinforcement Learning with Tool Use",
        abstract=(
            "Reinforcement Learning with Verifiable Rewards (RLVR) reaches 4.23\\% error on "
            "Pok\\'emon battles.\n\nWe release code at https://github.com/TIGER-AI-Lab/verl-tool."
        ),
        links=(
            Link("https://github.com/TIGER-AI-Lab/verl-tool", "code"),
            Link("https://verltool.github.io/", "project"),
        ),
        dates=(d("2025-09-03"), d("2025-09-09")),
        position=2,
        meta=PaperMeta(
            arxiv_id="2509.01055",
            authors=("Dongfu Jiang", "Yi Lu", "Jan van der Berg", "Wenhu Chen"),
            upvotes=101,
            published=d("2025-09-01"),
            github_repo="https://github.com/TIGER-AI-Lab/verl-tool",
            project_page="https://verltool.github.io/",
        ),
    ),
    PaperState(starred=True, read=True, tags=("rl", "agents"),
               note="Compare with ReTool before Friday.\n\nAsk Ana about the speed-up."),
)

TITLE_ONLY = Entry(
    Paper(
        id="m2c4x7q",
        title="S2A: A Unified Framework for Parameter and Memory Efficient Transfer Learning",
        abstract="Parameter-efficient transfer learning (PETL) aims to reduce the scales.",
        links=(Link("https://s2a.example.org/", "project"),),
        dates=(d("2025-09-09"),),
    ),
)

OLD_STYLE = Entry(
    Paper(
        id="p8r2t5v",
        title="On the Geometry of Moduli Spaces",
        abstract="",
        links=(),
        dates=(d("2025-08-30"),),
        meta=PaperMeta(arxiv_id="math.AG/0309136",
                       authors=("Martin Luther King Jr.", "Plato", "Ludwig van Beethoven")),
    ),
    PaperState(tags=("geometry",)),
)

TWIN_B = Entry(
    Paper(
        id="b2twin2",
        title="Scaling Laws for Agents",
        abstract="Second of two.",
        links=(),
        dates=(d("2025-07-01"),),
        meta=PaperMeta(arxiv_id="2507.00002", authors=("Ana Smith",), published=d("2025-07-01")),
    ),
)

TWIN_A = Entry(
    Paper(
        id="a1twin1",
        title="Scaling laws for agents, again",
        abstract="First of two.",
        links=(),
        dates=(d("2025-07-01"),),
        meta=PaperMeta(arxiv_id="2507.00001", authors=("Ana Smith",), published=d("2025-07-02")),
    ),
)

TRICKY = Entry(
    Paper(
        id="zz9evil",
        title=(
            "Breaking } out: 100% {robust} & fast_er $x^2$ #1 ~2x \\o/ key: - value\n"
            "@misc{evil, title={x}} ER  - \x1b[31mred\x1b[0m \u202eevil\u202c"
        ),
        abstract=(
            "=HYPERLINK(\"https://evil.example\")\n"
            "TY  - JOUR\n---\ntitle: injected\n---\n\"quoted\" \\ back\x07slash"
        ),
        links=(Link("javascript:alert(1)", "code"), Link("https://ok.example/a b}", "other")),
        dates=(d("2025-09-09"),),
        meta=PaperMeta(
            arxiv_id="not an id}",
            authors=("Team, The Evil", "Tom and Jerry", "  ", "Zoë {Brace} O'Neil"),
        ),
    ),
    PaperState(starred=True, tags=("c++", "[/]", "2024"),
               note="-1 + @SUM(A1)\n# not a heading\nER  - end"),
)

GOLDEN_ENTRIES = (VERLTOOL, TITLE_ONLY, OLD_STYLE, TWIN_B, TWIN_A, TRICKY)
