#!/usr/bin/env python3
"""Renders the Grafana dashboard JSON to a PNG without Grafana, from a real Prometheus.

How docs/dashboard.png is made (Grafana cannot run on the build machines: no container engine, and no Grafana
build in Debian or npm):
  1. a local run (`LOCAL_RUN_KEEP=true LOCAL_RUN_REQUESTS=9000 ./mvnw spring-boot:test-run`) serves the worker's
     real /actuator/prometheus; faults are injected through the emulator's admin API during the run;
  2. Debian's Prometheus (`apt-get install prometheus`) scrapes it every 2 s into a local TSDB;
  3. this script reads ops/grafana/dashboards/intune-assignment-worker.json, sends every panel's PromQL (the
     dashboard's own expressions, with $job=.*, $__rate_interval and $__range substituted as Grafana would) to
     that Prometheus over its HTTP API, and draws the panels at their gridPos with matplotlib in Grafana's dark
     style: time series (lines, stacked areas, bars, steps), stats with sparklines, thresholds and value
     mappings, and the bar gauge.

Usage: render_png.py DASHBOARD.json OUT.png --prometheus http://127.0.0.1:9090 --start EPOCH --end EPOCH
Needs python3-matplotlib (Debian). Standard library otherwise.
"""
import argparse
import datetime as dt
import json
import math
import re
import urllib.error
import urllib.parse
import urllib.request

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyBboxPatch  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

BG, PANEL, BORDER, TEXT, MUTED, GRID = "#111217", "#181b1f", "#2c3235", "#ccccdc", "#8e8e9e", "#2a2d33"
PALETTE = ["#73BF69", "#F2CC0C", "#8AB8FF", "#FF780A", "#F2495C", "#5794F2", "#B877D9", "#705DA0", "#37872D",
           "#FADE2A", "#447EBC", "#C15C17", "#890F02", "#0A437C", "#6D1F62", "#584477"]
NAMED = {"green": "#73BF69", "orange": "#FF9830", "red": "#F2495C", "yellow": "#FADE2A", "blue": "#5794F2"}
COL_PX, ROW_PX, PAD = 78, 31, 6


class Prom:
    def __init__(self, url, start, end, step, rate_interval):
        self.url, self.start, self.end, self.step, self.rate = url.rstrip("/"), start, end, step, rate_interval
        self.vars = {"$__rate_interval": rate_interval, "$__range": f"{int(end - start)}s",
                     "$job": ".*", "$consumer_group": "intune-assignment-worker", "$__interval": f"{step}s"}

    def expr(self, text):
        for k in sorted(self.vars, key=len, reverse=True):
            text = text.replace(k, self.vars[k])
        return text

    def _get(self, path, params):
        try:
            with urllib.request.urlopen(f"{self.url}{path}?{urllib.parse.urlencode(params)}", timeout=30) as r:
                body = json.load(r)
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"{params['query']}: {e.read().decode()}") from e
        if body.get("status") != "success":
            raise RuntimeError(body)
        return body["data"]["result"]

    def range(self, expr):
        return self._get("/api/v1/query_range", {"query": self.expr(expr), "start": self.start,
                                                 "end": self.end, "step": self.step})

    def instant(self, expr):
        return self._get("/api/v1/query", {"query": self.expr(expr), "time": self.end})


def legend(fmt, metric):
    if not fmt:
        return ", ".join(f'{k}="{v}"' for k, v in metric.items()) or "value"
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: metric.get(m.group(1), ""), fmt).strip()


def fmt_value(v, unit, decimals=None):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    if unit == "percentunit":
        return f"{v * 100:.{1 if decimals is None else decimals}f}%"
    if unit == "s":
        if v == 0:
            return "0 s"
        if abs(v) < 1:
            return f"{v * 1000:.{0 if decimals is None else decimals}f} ms"
        return f"{v:.{1 if decimals is None else decimals}f} s"
    if unit == "reqps":
        return f"{v:.{1 if decimals is None else decimals}f} req/s"
    if decimals is not None:
        return f"{v:.{decimals}f}"
    if abs(v) >= 1000:
        return f"{v / 1000:.1f} K"
    return f"{v:.0f}" if float(v).is_integer() else f"{v:.2f}"


def axis_formatter(unit):
    def f(v, _):
        if unit == "percentunit":
            return f"{v * 100:.0f}%"
        if unit == "s":
            return "0" if v == 0 else (f"{v * 1000:.0f} ms" if abs(v) < 1 else f"{v:g} s")
        if unit == "reqps":
            return f"{v:g} req/s"
        return f"{v / 1000:g} K" if abs(v) >= 1000 else f"{v:g}"
    return FuncFormatter(f)


def mapped(value, mappings):
    for m in mappings or []:
        if m.get("type") == "value":
            key = str(int(value)) if value is not None and float(value).is_integer() else str(value)
            if key in m["options"]:
                return m["options"][key]
    return None


def threshold_color(value, steps):
    color = steps[0]["color"]
    for s in steps[1:]:
        if value is not None and value >= s["value"]:
            color = s["color"]
    return NAMED.get(color, color)


class Canvas:
    def __init__(self, dashboard, width_cols=24):
        rows = max(p["gridPos"]["y"] + p["gridPos"]["h"] for p in dashboard["panels"])
        self.header = 56
        self.w, self.h = width_cols * COL_PX + PAD, rows * ROW_PX + self.header + PAD
        self.fig = plt.figure(figsize=(self.w / 100, self.h / 100), dpi=100, facecolor=BG)

    def frac(self, x, y, w, h):
        """Pixel box (top-left origin) to figure fractions (bottom-left origin)."""
        return [x / self.w, 1 - (y + h) / self.h, w / self.w, h / self.h]

    def panel_box(self, gp):
        x = gp["x"] * COL_PX + PAD
        y = gp["y"] * ROW_PX + self.header
        return x, y, gp["w"] * COL_PX - PAD, gp["h"] * ROW_PX - PAD

    def frame(self, panel):
        x, y, w, h = self.panel_box(panel["gridPos"])
        l, b, fw, fh = self.frac(x, y, w, h)
        self.fig.patches.append(FancyBboxPatch((l, b), fw, fh, boxstyle="round,pad=0,rounding_size=0.002",
                                               transform=self.fig.transFigure, facecolor=PANEL, edgecolor=BORDER, zorder=-10,
                                               linewidth=1))
        self.fig.text(l + 8 / self.w, b + fh - 17 / self.h, panel["title"], color=TEXT, fontsize=10.5,
                      fontweight="bold", va="center", ha="left")
        return x, y, w, h


def style_axes(ax, unit):
    ax.set_facecolor(PANEL)
    for s in ax.spines.values():
        s.set_visible(False)
    ax.tick_params(colors=MUTED, labelsize=8, length=0)
    ax.grid(True, color=GRID, linewidth=0.8)
    ax.yaxis.set_major_formatter(axis_formatter(unit))
    ax.yaxis.set_major_locator(MaxNLocator(5))
    ax.xaxis.set_major_locator(mdates.MinuteLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M", tz=dt.timezone.utc))


def draw_timeseries(c, panel, prom):
    x, y, w, h = c.frame(panel)
    d = panel["fieldConfig"]["defaults"]
    custom, unit = d.get("custom", {}), d.get("unit", "short")
    series = []
    for t in panel["targets"]:
        for r in prom.range(t["expr"]):
            pts = [(dt.datetime.fromtimestamp(float(ts), dt.timezone.utc), float(v)) for ts, v in r["values"]]
            pts = [(a, b) for a, b in pts if not math.isnan(b)]
            if pts:
                series.append((legend(t.get("legendFormat"), r["metric"]), pts))
    series.sort(key=lambda s: s[0])
    n_leg_rows = max(1, math.ceil(sum(len(s[0]) + 4 for s in series) * 6.3 / (w - 20))) if series else 0
    legend_h = 16 * n_leg_rows + 4
    ax = c.fig.add_axes(c.frac(x + 64, y + 30, w - 74, h - 30 - 22 - legend_h))
    style_axes(ax, unit)
    ax.set_xlim(dt.datetime.fromtimestamp(prom.start, dt.timezone.utc),
                dt.datetime.fromtimestamp(prom.end, dt.timezone.utc))
    if not series:
        ax.set_yticks([])
        ax.text(0.5, 0.5, "No data", color=MUTED, fontsize=12, ha="center", va="center", transform=ax.transAxes)
        return
    colors = [PALETTE[i % len(PALETTE)] for i in range(len(series))]
    mappings = d.get("mappings")
    if mappings:  # the circuit panel: fixed colours per state
        colors = [PALETTE[i % len(PALETTE)] for i in range(len(series))]
    draw, stack = custom.get("drawStyle", "line"), custom.get("stacking", {}).get("mode") == "normal"
    step = custom.get("lineInterpolation") == "stepAfter"
    fill = custom.get("fillOpacity", 0) / 100
    if draw == "bars":
        grid = sorted({a for _, pts in series for a, _ in pts})
        base = {a: 0.0 for a in grid}
        width = (prom.step / 86400) * 0.8
        for (name, pts), col in zip(series, colors):
            xs, ys = [a for a, _ in pts], [b for _, b in pts]
            ax.bar(xs, ys, width=width, bottom=[base[a] for a in xs] if stack else 0, color=col, alpha=0.85,
                   label=name, linewidth=0)
            if stack:
                for a, b in pts:
                    base[a] += b
    elif stack:
        grid = sorted({a for _, pts in series for a, _ in pts})
        lower = [0.0] * len(grid)
        for (name, pts), col in zip(series, colors):
            m = dict(pts)
            upper = [lo + m.get(a, 0.0) for lo, a in zip(lower, grid)]
            ax.fill_between(grid, lower, upper, color=col, alpha=fill + 0.15, linewidth=0)
            ax.plot(grid, upper, color=col, linewidth=1.2, label=name)
            lower = upper
    else:
        for (name, pts), col in zip(series, colors):
            xs, ys = [a for a, _ in pts], [b for _, b in pts]
            ax.plot(xs, ys, color=col, linewidth=1.3, label=name, drawstyle="steps-post" if step else "default")
            if fill:
                ax.fill_between(xs, 0, ys, color=col, alpha=fill, linewidth=0, step="post" if step else None)
    lo = d.get("min", 0)
    top = d.get("max")
    if top is None:
        top = ax.get_ylim()[1] * 1.05 or 1
    ax.set_ylim(lo, top)
    if mappings:
        labels = mappings[0]["options"]
        ticks = sorted(int(k) for k in labels)
        ax.set_yticks(ticks)
        ax.set_yticklabels([labels[str(k)]["text"] for k in ticks])
        ax.set_ylim(-0.1, max(ticks) + 0.2)
    leg = ax.legend(loc="upper left", bbox_to_anchor=(-64 / (w - 74), -22 / (h - 52 - legend_h)),
                    ncol=max(1, min(len(series), int((w - 20) / 150))), frameon=False, fontsize=8,
                    labelcolor=TEXT, handlelength=1.2, handletextpad=0.4, columnspacing=1.2, borderaxespad=0)
    for hnd in leg.legend_handles if hasattr(leg, "legend_handles") else leg.legendHandles:
        hnd.set_linewidth(3) if hasattr(hnd, "set_linewidth") else None


def draw_stat(c, panel, prom):
    x, y, w, h = c.frame(panel)
    d = panel["fieldConfig"]["defaults"]
    t = panel["targets"][0]
    unit, steps = d.get("unit", "short"), d["thresholds"]["steps"]
    value, pts = None, []
    if t.get("instant"):
        r = prom.instant(t["expr"])
        if r:
            value = float(r[0]["value"][1])
    else:
        r = prom.range(t["expr"])
        if r:
            pts = [(float(ts), float(v)) for ts, v in r[0]["values"] if not math.isnan(float(v))]
            value = pts[-1][1] if pts else None
    if value is not None and math.isnan(value):
        value = None
    color = threshold_color(value, steps) if value is not None else MUTED
    m = mapped(value, d.get("mappings")) if value is not None else None
    text = m["text"] if m else fmt_value(value, unit, d.get("decimals")) if value is not None else "No data"
    if m and m.get("color"):
        color = NAMED.get(m["color"], m["color"])
    if pts:
        ax = c.fig.add_axes(c.frac(x + 1, y + h * 0.55, w - 2, h * 0.45 - 1))
        ax.set_axis_off()
        xs, ys = [a for a, _ in pts], [b for _, b in pts]
        ax.fill_between(xs, 0, ys, color=color, alpha=0.18, linewidth=0)
        ax.plot(xs, ys, color=color, linewidth=1, alpha=0.8)
        ax.set_xlim(prom.start, prom.end)
        ax.set_ylim(0, (max(ys) or 1) * 1.1)
    l, b, fw, fh = c.frac(x, y, w, h)
    c.fig.text(l + fw / 2, b + fh * 0.42, text, color=color, fontsize=24 if len(text) < 9 else 18,
               fontweight="bold", ha="center", va="center")


def draw_bargauge(c, panel, prom):
    x, y, w, h = c.frame(panel)
    t = panel["targets"][0]
    rows = [(legend(t.get("legendFormat"), r["metric"]), float(r["value"][1])) for r in prom.instant(t["expr"])]
    rows = [(n, v) for n, v in rows if not math.isnan(v)]
    rows.sort(key=lambda r: -r[1])
    ax = c.fig.add_axes(c.frac(x + 10, y + 30, w - 20, h - 38))
    ax.set_facecolor(PANEL)
    ax.set_axis_off()
    if not rows:
        ax.text(0.5, 0.5, "No data", color=MUTED, fontsize=12, ha="center", va="center", transform=ax.transAxes)
        return
    top = max(v for _, v in rows) or 1
    n = len(rows)
    for i, (name, v) in enumerate(rows):
        yy = n - 1 - i
        col = PALETTE[i % len(PALETTE)]
        ax.barh(yy, 1.0, left=0, height=0.62, color="#22252b")
        # Logarithmic length, so the small categories stay visible next to thousands of CREATED.
        frac = math.log10(1 + v) / math.log10(1 + top)
        ax.barh(yy, frac, left=0, height=0.62, color=col, alpha=0.9)
        ax.text(0.01, yy + 0.42, name, color=TEXT, fontsize=8, va="bottom", ha="left")
        ax.text(1.0, yy + 0.42, f"{v:.0f}", color=col, fontsize=9, fontweight="bold", va="bottom", ha="right")
    ax.set_xlim(0, 1.0)
    ax.set_ylim(-0.5, n - 0.1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dashboard")
    ap.add_argument("out")
    ap.add_argument("--prometheus", default="http://127.0.0.1:9090")
    ap.add_argument("--start", type=float, required=True)
    ap.add_argument("--end", type=float, required=True)
    ap.add_argument("--step", type=int, default=2)
    ap.add_argument("--rate-interval", default="10s")
    ap.add_argument("--subtitle", default="")
    a = ap.parse_args()
    dashboard = json.load(open(a.dashboard))
    prom = Prom(a.prometheus, a.start, a.end, a.step, a.rate_interval)
    c = Canvas(dashboard)
    t0 = dt.datetime.fromtimestamp(a.start, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    t1 = dt.datetime.fromtimestamp(a.end, dt.timezone.utc).strftime("%H:%M:%S UTC")
    c.fig.text(PAD / c.w, 1 - 22 / c.h, dashboard["title"], color=TEXT, fontsize=15, fontweight="bold", va="center")
    c.fig.text(1 - PAD / c.w, 1 - 22 / c.h, f"{t0} to {t1}   job=All   rate interval {a.rate_interval}",
               color=MUTED, fontsize=9, va="center", ha="right")
    if a.subtitle:
        c.fig.text(PAD / c.w, 1 - 42 / c.h, a.subtitle, color=MUTED, fontsize=8.5, va="center")
    for p in dashboard["panels"]:
        {"timeseries": draw_timeseries, "stat": draw_stat, "bargauge": draw_bargauge}[p["type"]](c, p, prom)
    c.fig.savefig(a.out, facecolor=BG, dpi=100)


if __name__ == "__main__":
    main()
