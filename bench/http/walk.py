#!/usr/bin/python3
"""Walks every page of a dpmon list over HTTP, following the JSON "next" cursor until it is null or absent,
on one kept-alive connection, and times it. For bench/http/run.sh.
Usage: walk.py BASE_URL PATH TOKEN_FILE [CURSORS_LUA]
  PATH carries its own query (/api/v1/flags?limit=1000); each next page is PATH&cursor=<next, URL-encoded>.
  CURSORS_LUA: every cursor seen is written there, URL-encoded, as a Lua list for bench/http/wrk.lua.
Prints one line: pages=N items=M seconds=S p99_ms=P slowest_ms=X mb=B cursors=C
  seconds: the page requests added up (sending to the last byte read); parsing the JSON here is left out.
  items: the longest list in each page (the route's items), added up."""
import http.client
import json
import math
import sys
import time
import urllib.parse


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    base, path, token_file = sys.argv[1:4]
    cursors_out = sys.argv[4] if len(sys.argv) > 4 else None
    token = open(token_file).read().strip()
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=900)
    headers = {"Authorization": "Bearer " + token}
    sep = "&" if "?" in path else "?"
    target, cursors, seen, times = path, [], set(), []
    items = size = 0
    while True:
        start = time.monotonic()
        conn.request("GET", target, headers=headers)
        resp = conn.getresponse()
        body = resp.read()
        times.append(time.monotonic() - start)
        if resp.status != 200:
            sys.exit(f"walk.py: GET {target} answered {resp.status}: {body[:300]!r}")
        page = json.loads(body)
        size += len(body)
        lists = [v for v in page.values() if isinstance(v, list)] if isinstance(page, dict) else []
        items += max((len(v) for v in lists), default=0)
        nxt = page.get("next") if isinstance(page, dict) else None
        if not nxt:
            break
        if nxt in seen:
            sys.exit(f"walk.py: the cursor {nxt!r} came back a second time (page {len(times)})")
        seen.add(nxt)
        cursors.append(nxt)
        target = path + sep + "cursor=" + urllib.parse.quote(str(nxt), safe="")
    if cursors_out:
        with open(cursors_out, "w") as out:
            out.write("return {\n")
            for c in cursors:
                out.write('"' + urllib.parse.quote(str(c), safe="") + '",\n')
            out.write("}\n")
    ordered = sorted(times)
    p99 = ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]
    print(f"pages={len(times)} items={items} seconds={sum(times):.3f} p99_ms={p99 * 1000:.1f} "
          f"slowest_ms={ordered[-1] * 1000:.1f} mb={size / 1e6:.1f} cursors={len(cursors)}")


if __name__ == "__main__":
    main()
