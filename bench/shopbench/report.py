"""The bench's output: the table of every workload, and issue 22's targets, each as a ratio
to a ceiling measured in the same run (or a figure on this machine), met or missed."""
import time

from .common import machine


def workload_table(rows, nginx_rps):
    # req/s counts every answer; where some were not 2xx, the 2xx rate follows in brackets.
    out = ["| workload | req/s | p50 ms | p99 ms | vs nginx | non-2xx |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, r in rows:
        http = r.get("http", True)  # ceilings and pgbench are not HTTP: no ratio to nginx
        p50 = "–" if r.get("p50") is None else f"{r['p50']:.2f}" + (" (avg)" if r.get("avg") else "")
        p99 = "–" if r.get("p99") is None else f"{r['p99']:.2f}"
        vs = f"{100 * r['rps'] / nginx_rps:.0f} %" if http else "–"
        rate = f"{r['rps']:.0f}" + (f" ({r['ok_rps']:.0f} 2xx)" if r.get("non2xx") and "ok_rps" in r else "")
        out.append(f"| {name} | {rate} | {p50} | {p99} | {vs} | {r.get('non2xx', 0)} |")
    return out


def verdict(ok):
    return "met" if ok else "**missed**"


def target_table(m):
    """m: the run's measurements by short name (see bench/run). A target whose figures are
    missing (a part skipped) is left out rather than guessed."""
    rows = []

    def add(name, target, figure, ok):
        rows.append(f"| {name} | {target} | {figure} | {verdict(ok)} |")

    def has(*keys):
        return all(k in m for k in keys)

    if has("get", "nginx"):
        g, ratio = m["get"], m["get"]["rps"] / m["nginx"]["rps"]
        add("`GET /products/{id}`", "≥ 0.5 × nginx, p99 ≤ 5 ms",
            f"{g['rps']:.0f}/s = {ratio:.2f} × nginx, p99 {g['p99']:.2f} ms", ratio >= 0.5 and g["p99"] <= 5)
    if has("category", "get"):
        ratio = m["category"]["rps"] / m["get"]["rps"]
        add("category page with `max_price`", "≥ 0.2 × `GET /products/{id}`",
            f"{m['category']['rps']:.0f}/s = {ratio:.2f} ×, p99 {m['category']['p99']:.1f} ms", ratio >= 0.2)
    if has("checkout", "raw32", "orders"):
        c = m["checkout"]
        ratio, vs_plain = c["rps"] / m["raw32"]["rps"], c["rps"] / m["orders"]["rps"]
        add("`POST /orders` by variant, code on half, shipping, tax",
            "≥ 0.6 × raw 32-per-commit, p99 ≤ 25 ms, within 10 % of plain orders",
            f"{c['rps']:.0f}/s = {ratio:.2f} × raw ({m['raw32']['rps']:.0f}/s), p99 {c['p99']:.1f} ms, "
            f"{vs_plain:.2f} × plain ({m['orders']['rps']:.0f}/s)",
            ratio >= 0.6 and c["p99"] <= 25 and vs_plain >= 0.9)
    if has("quote", "get"):
        ratio = m["quote"]["rps"] / m["get"]["rps"]
        add("`POST /checkout/quote`", "≥ 0.5 × `GET /products/{id}`", f"{m['quote']['rps']:.0f}/s = {ratio:.2f} ×",
            ratio >= 0.5)
    if has("search", "fts"):
        ratio = m["search"]["rps"] / m["fts"]["rps"]
        add("common-word search with option facets", "≥ 15 × FTS5 `ORDER BY rank`",
            f"{m['search']['rps']:.0f}/s = {ratio:.1f} × FTS5 ({m['fts']['rps']:.0f}/s)", ratio >= 15)
    if has("media", "nginx_image"):
        ratio = m["media"]["rps"] / m["nginx_image"]["rps"]
        add("`GET /media/{id}` (50 KB)", "≥ 0.5 × nginx, same bytes",
            f"{m['media']['rps']:.0f}/s = {ratio:.2f} × nginx ({m['nginx_image']['rps']:.0f}/s)", ratio >= 0.5)
    if has("webhooks", "checkout"):
        w = m["webhooks"]
        ratio = w["rps"] / m["checkout"]["rps"]
        add("outbound webhooks", "≥ 2,000 deliveries/s while `POST /orders` keeps ≥ 0.75 × its rate",
            f"{w['deliveries_per_s']:.0f} deliveries/s; orders {w['rps']:.0f}/s = {ratio:.2f} ×",
            w["deliveries_per_s"] >= 2000 and ratio >= 0.75)
    if has("beside_logins"):
        p99 = m["beside_logins"]["p99"]
        add("`GET /products/{id}` beside 50 logins/s", "p99 ≤ 10 ms", f"p99 {p99:.2f} ms", p99 <= 10)
    if has("shop_page"):
        s = m["shop_page"]
        add("`/shop` product page", "≤ 100 KB, gzip, first byte p99 ≤ 5 ms",
            f"{s['bytes'] / 1024:.0f} KB ({s['gzip_bytes'] / 1024:.0f} KB gzipped{'' if s['gzip'] else ', NOT gzipped'}), "
            f"p99 {s['p99']:.2f} ms", s["bytes"] <= 100 * 1024 and s["gzip"] and s["p99"] <= 5)
    if has("rss_idle", "rss_1000"):
        add("memory", "RSS < 40 MB idle, < 150 MB with 1,000 connections",
            f"{m['rss_idle'] / 1024:.1f} MB idle, {m['rss_1000'] / 1024:.1f} MB with 1,000",
            m["rss_idle"] < 40 * 1024 and m["rss_1000"] < 150 * 1024)
    if has("ready_empty", "ready_full"):
        add("start-up", "ready < 100 ms empty, < 500 ms with the catalogue",
            f"{1000 * m['ready_empty']:.0f} ms and {1000 * m['ready_full']:.0f} ms",
            m["ready_empty"] < 0.1 and m["ready_full"] < 0.5)
    if has("pg_orders", "pgbench"):
        ratio = m["pg_orders"]["rps"] / m["pgbench"]["rps"]
        add("PostgreSQL `POST /orders`", "≥ 0.6 × pgbench TPC-B tps, same clients, scale 100",
            f"{m['pg_orders']['rps']:.0f}/s = {ratio:.2f} × pgbench ({m['pgbench']['rps']:.0f} tps)", ratio >= 0.6)
    return ["| target | goal | this run | |", "| --- | --- | --- | --- |", *rows]


def render(rows, m, summary):
    nginx = m["nginx"]["rps"]
    return "\n".join([f"### Run of {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {machine()}", "",
                      *target_table(m), "", *workload_table(rows, nginx), "", *summary, ""])
