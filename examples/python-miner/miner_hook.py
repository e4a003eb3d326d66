#!/usr/bin/env python3
"""Example miner hook for `consensus-node miner --curator-url http://127.0.0.1:8091/curate`.

Standard library only. It stands for a miner's existing Python `forward()` logic: put yours in
`curate()`. The node POSTs one JSON object per open request:

    {"request_id": "<uuid>", "business_desc": "...", "num_leads": 5, "hotkey": "<ss58>"}

and expects `{"leads": [<lead>, ...]}` within its plug-in timeout (10 s by default). Each lead has
`business` and `email` and optionally full_name, first, last, role, website, linkedin, industry,
sub_industry, region (strings of at most 300 characters); at most 200 leads. An empty list makes
the miner decline the request. Anything else (an error status, invalid JSON, an invalid lead) is
logged by the node, which then declines: nothing invalid is ever signed.

Usage: python3 miner_hook.py [--host 127.0.0.1] [--port 8091] [--leads leads.json]
Port 0 picks a free port; the first line printed says where it listens.
"""

import argparse
import json
import os
import re
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY = 64 * 1024
HERE = os.path.dirname(os.path.abspath(__file__))


def words(text):
    return set(re.findall(r"[a-z]{3,}", (text or "").lower()))


def curate(request, leads):
    """Your sourcing goes here. This one matches the description's words to each lead's role,
    industry and region, best first, and returns up to twice the number asked for."""
    wanted = words(request["business_desc"])
    scored = []
    for lead in leads:
        fields = ("role", "industry", "sub_industry", "region")
        have = words(" ".join(str(lead.get(k, "")) for k in fields))
        overlap = len(wanted & have)
        if overlap > 0:
            scored.append((-overlap, lead["email"], lead))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [lead for _, _, lead in scored[: request["num_leads"] * 2]]


class Handler(BaseHTTPRequestHandler):
    leads = []

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length <= 0 or length > MAX_BODY:
            return self.answer(413 if length > MAX_BODY else 400, {"error": "bad body size"})
        try:
            request = json.loads(self.rfile.read(length))
            request["business_desc"], request["num_leads"]
        except (ValueError, KeyError, TypeError):
            return self.answer(400, {"error": "expected the node's JSON request"})
        self.answer(200, {"leads": curate(request, self.leads)})

    def answer(self, status, body):
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):
        # One line per call on stderr, without the request body (it is the buyer's description).
        print("miner_hook: " + fmt % args, flush=True)


def main():
    parser = argparse.ArgumentParser(description="Example consensus-node miner hook")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8091)
    parser.add_argument("--leads", default=os.path.join(HERE, "..", "leads.json"))
    args = parser.parse_args()
    with open(args.leads, encoding="utf-8") as f:
        Handler.leads = json.load(f)
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    host, port = server.server_address[:2]
    count = len(Handler.leads)
    print(f"miner_hook: listening on http://{host}:{port}/curate with {count} leads", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
