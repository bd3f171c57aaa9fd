#!/usr/bin/python3
"""The Python half of chart_rbac.sh: the rendered chart made appliable, and the API calls a
ServiceAccount made compared with what RBAC grants it.

  chart_rbac.py drop-kinds RENDER KIND...
      the documents of a `helm template` output as a stream of JSON objects, one a line
      (for `kubectl apply -f`), except those of the KINDs; says on stderr what it left out.
  chart_rbac.py exact LOG --user USER --rules FILE...
      LOG is the test API server's request log (scripts/test-apiserver without --quiet),
      each FILE a SelfSubjectRulesReview answered for USER (one per namespace). Fails when
      USER made no request, when any of its requests was refused (401/403), or when a
      permission is granted that no request of USER used: the grants must be exactly the
      calls. Prints the calls it counted.

Standard library only, plus the test API server's YAML reader; run with /usr/bin/python3.
"""
import argparse
import collections
import json
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "apiserver"))
from kubeemu import yamlsub  # noqa: E402

# "<time> <client> <user> <method> <path?query> <code> <ms>ms" (tests/apiserver/README.md).
LOG_LINE = re.compile(r"^\S+ \S+ (\S+) (GET|HEAD|POST|PUT|PATCH|DELETE) (\S+) (\d{3}) [0-9.]+ms$")

# What every authenticated user may do (the default system:basic-user role), not the chart's.
BASIC_USER_GROUP = "authorization.k8s.io"

Request = collections.namedtuple("Request", "verb group resource namespace name")


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def request_attributes(method, target):
    """The RBAC attributes of one API request (contract §11.1), or None for the
    non-resource paths (discovery, /version, /healthz) that every user may read."""
    path, _, query = target.partition("?")
    segs = [s for s in path.split("/") if s]
    if len(segs) >= 2 and segs[0] == "api":
        group, rest = "", segs[2:]
    elif len(segs) >= 3 and segs[0] == "apis":
        group, rest = segs[1], segs[3:]
    else:
        return None
    namespace = ""
    if len(rest) >= 3 and rest[0] == "namespaces":
        namespace, rest = rest[1], rest[2:]
    if not rest:
        return None
    resource = rest[0] + ("/" + rest[2] if len(rest) > 2 else "")
    name = rest[1] if len(rest) > 1 else ""
    if method in ("GET", "HEAD"):
        watch = urllib.parse.parse_qs(query).get("watch", [""])[0] in ("true", "1")
        verb = "get" if name else ("watch" if watch else "list")
    elif method == "DELETE":
        verb = "delete" if name else "deletecollection"
    else:
        verb = {"POST": "create", "PUT": "update", "PATCH": "patch"}[method]
    return Request(verb, group, resource, namespace, name)


def read_requests(path, user):
    """(Request, HTTP code) of every resource request USER made, in log order."""
    out = []
    with open(path, errors="replace") as f:
        for line in f:
            m = LOG_LINE.match(line.strip())
            if not m or m.group(1) != user:
                continue
            attrs = request_attributes(m.group(2), m.group(3))
            if attrs is not None:
                out.append((attrs, int(m.group(4))))
    return out


def granted(review):
    """(group, resource, verb, name) of each resource permission in a SelfSubjectRulesReview;
    name "" when the rule names no resources. Wildcards are kept as written."""
    out = set()
    for rule in review.get("status", {}).get("resourceRules", []):
        for group in rule.get("apiGroups", []):
            if group == BASIC_USER_GROUP:
                continue
            for resource in rule.get("resources", []):
                for verb in rule.get("verbs", []):
                    for name in rule.get("resourceNames") or [""]:
                        out.add((group, resource, verb, name))
    return out


def used_by(grant, requests):
    """Whether some request used this grant (a wildcard is never 'used': it grants more than
    any call needs)."""
    group, resource, verb, name = grant
    return any(r.group == group and r.resource == resource and r.verb == verb and
               (name == "" or r.name == name) for r in requests)


def describe(group, resource, verb, name=""):
    return "%s %s %s%s" % (group or "core", resource, verb, " " + name if name else "")


def cmd_drop_kinds(a):
    with open(a.render) as f:
        docs = yamlsub.load_all(f.read())
    keep = []
    for d in docs:
        if d.get("kind") in a.kinds:
            sys.stderr.write("left out: %s %s\n" % (d["kind"], d.get("metadata", {}).get("name")))
        else:
            keep.append(json.dumps(d))
    # Not a v1 List: kubectl validates a List against /openapi/v2, which the test server lacks.
    print("\n".join(keep))


def cmd_exact(a):
    calls = read_requests(a.log, a.user)
    if not calls:
        fail("no API request by %s in %s" % (a.user, a.log))
    counts = collections.Counter(
        describe(r.group, r.resource, r.verb) + " (%s)" % (r.namespace or "all namespaces")
        for r, _ in calls)
    print("calls by %s:" % a.user)
    for what, n in sorted(counts.items()):
        print("  %5d  %s" % (n, what))
    refused = [(r, code) for r, code in calls if code in (401, 403)]
    if refused:
        fail("%d requests refused, first: %s %s -> %d" % (
            len(refused), describe(refused[0][0].group, refused[0][0].resource,
                                   refused[0][0].verb, refused[0][0].name),
            refused[0][0].namespace, refused[0][1]))
    grants = set()
    for path in a.rules:
        with open(path) as f:
            grants |= granted(json.load(f))
    requests = [r for r, _ in calls]
    idle = sorted(g for g in grants if not used_by(g, requests))
    if idle:
        fail("granted but never used: " + "; ".join(describe(*g) for g in idle))
    print("granted: %d permissions, each used by a call" % len(grants))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("drop-kinds")
    c.add_argument("render")
    c.add_argument("kinds", nargs="+")
    c.set_defaults(fn=cmd_drop_kinds)
    c = sub.add_parser("exact")
    c.add_argument("log")
    c.add_argument("--user", required=True)
    c.add_argument("--rules", action="append", required=True)
    c.set_defaults(fn=cmd_exact)
    a = p.parse_args()
    a.fn(a)


if __name__ == "__main__":
    main()
