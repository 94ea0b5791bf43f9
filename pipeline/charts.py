"""Charts of the marts, rendered to small PNGs with matplotlib's Agg canvas.

Pure rendering: a DataFrame in, PNG bytes out. The Dagster layer embeds them in the
materialization metadata (assets/metadata.py). Figures are built with the object API, not
pyplot, so nothing here touches matplotlib's global backend or figure registry (safe in a
notebook, in threads, and in long-running Dagster processes).
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

SIZE = (7.0, 3.4)  # inches; at DPI below this is a 630x306 PNG of a few dozen KB
DPI = 90
TOP_N = 15  # bars shown in "top" charts; more would be unreadable at this size
TYPE_COLORS = {"summon": "#1f77b4", "protest_note": "#ff7f0e", "protest_statement": "#2ca02c"}
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"]


# -- rendering primitives ------------------------------------------------------------------
def _render(draw: Callable, title: str) -> bytes:
    fig = Figure(figsize=SIZE, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    draw(ax)
    ax.tick_params(labelsize=8)
    ax.set_title(title, fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    # Lay the figure out here and save it without a layout engine: savefig would otherwise
    # walk every artist once more, drawing switched off, just to lay it out (the same PNG,
    # byte for byte, about 12 % less CPU).
    fig.get_layout_engine().execute(fig)
    fig.set_layout_engine(None)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def empty_chart(title: str) -> bytes:
    def draw(ax):
        ax.text(0.5, 0.5, "no incidents yet", ha="center", va="center", fontsize=12, color="#777")
        ax.set_axis_off()
    return _render(draw, title)


def bar_chart(categories: list, series: dict[str, list[float]], title: str, ylabel: str = "incidents",
              stacked: bool = False, colors: dict[str, str] | None = None, hatches: dict[str, str] | None = None) -> bytes:
    """Vertical bars per category: one bar per series side by side, or stacked."""
    labels = [str(c) for c in categories]

    def draw(ax):
        n = len(series)
        width = 0.8 if stacked else 0.8 / max(n, 1)
        bottom = [0.0] * len(labels)
        for i, (name, values) in enumerate(series.items()):
            x = list(range(len(labels))) if stacked else [k - 0.4 + width * (i + 0.5) for k in range(len(labels))]
            ax.bar(x, values, width, bottom=bottom if stacked else None, label=name,
                   color=(colors or {}).get(name, PALETTE[i % len(PALETTE)]),
                   hatch=(hatches or {}).get(name), edgecolor="white",
                   linewidth=0.5 if len(labels) <= 40 else 0)  # white gaps would hide thin bars
            if stacked:
                bottom = [b + v for b, v in zip(bottom, values)]
        ax.set_xticks(range(len(labels)), labels, fontsize=8, rotation=45 if len(labels) > 12 else 0)
        _thin_ticks(ax, len(labels))
        ax.set_ylabel(ylabel, fontsize=9)
        ax.yaxis.get_major_locator().set_params(integer=True)
        if n > 1:
            _legend(ax)
    return _render(draw, title)


def diverging_bar_chart(categories: list, up: dict[str, list[float]], down: dict[str, list[float]], title: str,
                        up_label: str, down_label: str, horizontal: bool = False) -> bytes:
    """Two directions around zero: `up` series above (or right of) the axis, `down` below.
    Series with the same position in `up` and `down` share a colour (one per co-chair)."""
    labels = [str(c) for c in categories]

    def draw(ax):
        n = max(len(up), 1)
        width = 0.8 / n
        for i, ((name, ups), downs) in enumerate(zip(up.items(), down.values())):
            pos = [k - 0.4 + width * (i + 0.5) for k in range(len(labels))]
            color = PALETTE[i % len(PALETTE)]
            bar = ax.barh if horizontal else ax.bar
            bar(pos, ups, width, color=color, label=name)
            bar(pos, [-v for v in downs], width, color=color, alpha=0.45)
        (ax.axvline if horizontal else ax.axhline)(0, color="#333", linewidth=0.8)
        if horizontal:
            ax.set_yticks(range(len(labels)), labels, fontsize=8)
            ax.invert_yaxis()
            ax.set_xlabel(f"← {down_label}   |   {up_label} →", fontsize=8)
            ax.xaxis.get_major_locator().set_params(integer=True)
        else:
            ax.set_xticks(range(len(labels)), labels, fontsize=8)
            _thin_ticks(ax, len(labels))
            ax.set_ylabel(f"{down_label} ↓  |  {up_label} ↑", fontsize=8)
            ax.yaxis.get_major_locator().set_params(integer=True)
        # Both directions are counts: label them without the minus sign.
        (ax.xaxis if horizontal else ax.yaxis).set_major_formatter(FuncFormatter(lambda v, _: f"{abs(v):g}"))
        if len(up) > 1:
            _legend(ax)
    return _render(draw, title)


def horizontal_bar_chart(labels: list[str], values: list[float], title: str, xlabel: str = "incidents") -> bytes:
    def draw(ax):
        ax.barh(range(len(labels)), values, color=PALETTE[0])
        ax.set_yticks(range(len(labels)), labels, fontsize=8)
        ax.invert_yaxis()  # largest on top
        ax.set_xlabel(xlabel, fontsize=9)
        ax.xaxis.get_major_locator().set_params(integer=True)
    return _render(draw, title)


def timeline_chart(dates: list, rows: list[str], kinds: list[str], title: str) -> bytes:
    """One dot per event at (date, row), coloured by kind."""
    order = sorted(set(rows))

    def draw(ax):
        for kind in sorted(set(kinds)):
            picked = [(d, order.index(r)) for d, r, k in zip(dates, rows, kinds) if k == kind]
            ax.scatter([d for d, _ in picked], [y for _, y in picked], s=28, label=kind,
                       color=TYPE_COLORS.get(kind, PALETTE[-1]), zorder=3)
        ax.set_yticks(range(len(order)), order, fontsize=7)
        ax.grid(axis="y", color="#eee", zorder=0)
        ax.tick_params(axis="x", labelsize=8)
        _legend(ax)
    return _render(draw, title)


def _legend(ax) -> None:
    """Outside the plot, on the right, so it never hides a bar."""
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))


def _thin_ticks(ax, n: int, keep: int = 24) -> None:
    """Show at most `keep` tick labels (monthly charts span years)."""
    step = max(1, -(-n // keep))
    for i, label in enumerate(ax.get_xticklabels()):
        label.set_visible(i % step == 0)


# -- one chart per mart ----------------------------------------------------------------------
def _dyad(actor: str, target: str) -> str:
    return f"{actor}→{target}"


def chart_protests_per_year(df: pd.DataFrame) -> bytes:
    return bar_chart(df["year"].tolist(), {
        "all incidents": df["incidents"].tolist(),
        "with a summons": df["with_summon"].tolist(),
        "with a note": df["with_protest_note"].tolist(),
        "with a statement": df["with_protest_statement"].tolist(),
    }, "Protest incidents per year (an incident may have several types)",
        colors={"all incidents": "#555", "with a summons": TYPE_COLORS["summon"],
                "with a note": TYPE_COLORS["protest_note"], "with a statement": TYPE_COLORS["protest_statement"]})


def chart_protests_per_cochair(df: pd.DataFrame) -> bytes:
    wide = df.pivot_table(index="year", columns=["cochair", "role"], values="incidents", aggfunc="sum", fill_value=0)
    series, colors, hatches = {}, {}, {}
    for i, cochair in enumerate(sorted(df["cochair"].unique())):
        for role, verb in (("actor", "protested"), ("target", "protested against")):
            name = f"{cochair} {verb}"
            series[name] = wide.get((cochair, role), pd.Series(0, index=wide.index)).tolist()
            colors[name] = PALETTE[i % len(PALETTE)]
            hatches[name] = "//" if role == "target" else None
    return bar_chart(wide.index.tolist(), series, "Incidents involving a co-chair, per year, stacked by co-chair and role",
                     stacked=True, colors=colors, hatches=hatches)


def chart_protests_per_dyad_year(df: pd.DataFrame) -> bytes:
    totals = df.groupby(["actor", "target"], as_index=False)["incidents"].sum()
    top = totals.sort_values(["incidents", "actor", "target"], ascending=[False, True, True]).head(TOP_N)
    return horizontal_bar_chart([_dyad(a, t) for a, t in zip(top["actor"], top["target"])], top["incidents"].tolist(),
                                f"Top {min(TOP_N, len(top))} dyads (actor→target), all years")


def chart_protests_per_month(df: pd.DataFrame) -> bytes:
    return bar_chart(pd.to_datetime(df["month_start"]).dt.strftime("%Y-%m").tolist(), {"incidents": df["incidents"].tolist()},
                     "Protest incidents per month (incidents dated to the day or month)")


def chart_protests_per_type(df: pd.DataFrame) -> bytes:
    wide = df.pivot_table(index="year", columns="event_type", values="incidents", aggfunc="sum", fill_value=0)
    return bar_chart(wide.index.tolist(), {t: wide[t].tolist() for t in wide.columns},
                     "Incidents per year and type (counted once per type)", stacked=True, colors=TYPE_COLORS)


def chart_latest_incidents(df: pd.DataFrame) -> bytes:
    kinds = ["summon" if "summon" in t else "protest_note" if "protest_note" in t else "protest_statement" for t in df["types"]]
    # One row per protesting state: one per dyad would be unreadable for 50 incidents.
    return timeline_chart(pd.to_datetime(df["event_date"]).tolist(), df["actor"].tolist(),
                          kinds, f"The {len(df)} latest incidents, by protesting state (colour: strongest type)")


def chart_cochair_protests_per_year(df: pd.DataFrame) -> bytes:
    years = sorted(df["year"].unique())
    by = {c: g.set_index("year").reindex(years, fill_value=0) for c, g in df.groupby("cochair")}
    return diverging_bar_chart(years, {c: g["protests_by_cochair"].tolist() for c, g in by.items()},
                               {c: g["protests_against_cochair"].tolist() for c, g in by.items()},
                               "Co-chairs: protests by (up) and against (down), per year", "by", "against")


def chart_cochair_protests_per_counterpart(df: pd.DataFrame) -> bytes:
    totals = df.groupby(["cochair", "counterpart"], as_index=False)[["protests_by_cochair", "protests_against_cochair"]].sum()
    totals["total"] = totals["protests_by_cochair"] + totals["protests_against_cochair"]
    top = totals.sort_values(["total", "cochair", "counterpart"], ascending=[False, True, True]).head(TOP_N)
    return diverging_bar_chart([f"{c} ↔ {p}" for c, p in zip(top["cochair"], top["counterpart"])],
                               {"co-chair": top["protests_by_cochair"].tolist()},
                               {"co-chair": top["protests_against_cochair"].tolist()},
                               "Co-chairs and their counterparts, all years", "by the co-chair", "against it", horizontal=True)


def chart_review_queue(df: pd.DataFrame) -> bytes:
    counts = df.groupby(["priority", "reason"], as_index=False).size()
    return horizontal_bar_chart(counts["reason"].tolist(), counts["size"].tolist(),
                                "What waits for review, by reason (most urgent first)", xlabel="rows")


MART_CHARTS: dict[str, Callable[[pd.DataFrame], bytes]] = {
    "protests_per_year": chart_protests_per_year,
    "protests_per_cochair": chart_protests_per_cochair,
    "protests_per_dyad_year": chart_protests_per_dyad_year,
    "protests_per_month": chart_protests_per_month,
    "protests_per_type": chart_protests_per_type,
    "latest_incidents": chart_latest_incidents,
    "cochair_protests_per_year": chart_cochair_protests_per_year,
    "cochair_protests_per_counterpart": chart_cochair_protests_per_counterpart,
    "review_queue": chart_review_queue,
}


def mart_chart(name: str, frame: pd.DataFrame) -> bytes:
    """The chart of mart `name` for its rows; a 'no incidents yet' card when it is empty."""
    if frame.empty:
        return empty_chart(name)
    return MART_CHARTS[name](frame)
