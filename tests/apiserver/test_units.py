"""Unit tests of the server's pure parts: selectors, patches, schema handling,
the YAML subset, CEL. Table-driven; each case says what it checks."""
import unittest

from support import fixture  # support also puts kubeemu on sys.path
from kubeemu import cel, patch, schema, yamlsub
from kubeemu.errors import FieldError
from kubeemu.faults import conflict_for
from kubeemu.scale import selector_string
from kubeemu.selector import field_matcher, parse_field_selector, parse_label_selector


class LabelSelectorTest(unittest.TestCase):
    LABELS = {"env": "prod", "tier": "fe", "n": "7"}
    CASES = [  # (selector, matches LABELS)
        ("", True),                     # empty selects everything
        ("env=prod", True), ("env=qa", False), ("env!=qa", True), ("missing!=x", True),
        ("env in (qa, prod)", True), ("env notin (prod)", False), ("missing notin (a)", True),
        ("tier", True), ("!tier", False), ("!missing", True),
        ("n>6", True), ("n<7", False), ("env=prod,tier=be", False),
    ]

    def test_cases(self):
        for sel, want in self.CASES:
            with self.subTest(sel=sel):
                self.assertEqual(parse_label_selector(sel)(self.LABELS), want)

    def test_invalid(self):
        for sel in ("env in", "env in (a", "=", "x y", "n>a", "a,", "-bad-=x"):
            with self.subTest(sel=sel), self.assertRaises(ValueError):
                parse_label_selector(sel)

    def test_selector_string(self):
        sel = {"matchLabels": {"b": "2", "a": "1"},
               "matchExpressions": [{"key": "c", "operator": "In", "values": ["y", "x"]},
                                    {"key": "d", "operator": "DoesNotExist"}]}
        # Requirements are sorted by key, values too (LabelSelectorAsSelector).
        self.assertEqual(selector_string(sel), "a=1,b=2,c in (x,y),!d")


class InjectedConflictTest(unittest.TestCase):
    CASES = [  # (request path, qualified resource and name in the message, details)
        ("/apis/apps/v1/namespaces/demo/deployments/web/scale", 'deployments.apps "web"',
         {"name": "web", "group": "apps", "kind": "deployments"}),
        ("/apis/example.com/v1/namespaces/demo/widgets/w1/status", 'widgets.example.com "w1"',
         {"name": "w1", "group": "example.com", "kind": "widgets"}),
        ("/api/v1/namespaces/demo/configmaps/cfg", 'configmaps "cfg"',
         {"name": "cfg", "kind": "configmaps"}),
        ("/api/v1/namespaces/demo", 'namespaces "demo"', {"name": "demo", "kind": "namespaces"}),
        ("/apis/rbac.authorization.k8s.io/v1/clusterroles/view",
         'clusterroles.rbac.authorization.k8s.io "view"',
         {"name": "view", "group": "rbac.authorization.k8s.io", "kind": "clusterroles"}),
    ]

    def test_cases(self):
        for path, what, details in self.CASES:
            with self.subTest(path=path):
                status = conflict_for(path).status()
                self.assertEqual(status["message"], f"Operation cannot be fulfilled on {what}: "
                                 "the object has been modified; please apply your changes to "
                                 "the latest version and try again")
                self.assertEqual(status["details"], details)
                self.assertEqual((status["reason"], status["code"]), ("Conflict", 409))


class FieldSelectorTest(unittest.TestCase):
    def test_escapes_and_operators(self):
        reqs = parse_field_selector(r"metadata.name=a\,b,reason!=X,type==Normal")
        self.assertEqual(reqs, [("metadata.name", "=", "a,b"), ("reason", "!=", "X"),
                                ("type", "=", "Normal")])
        m = field_matcher(reqs, lambda o: o)
        self.assertTrue(m({"metadata.name": "a,b", "reason": "Y", "type": "Normal"}))
        self.assertFalse(m({"metadata.name": "a,b", "reason": "X", "type": "Normal"}))

    def test_invalid(self):
        for sel in ("metadata.name", r"a=b\q"):
            with self.subTest(sel=sel), self.assertRaises(ValueError):
                parse_field_selector(sel)


class PatchTest(unittest.TestCase):
    def test_merge_patch_rfc7386_examples(self):
        cases = [  # (target, patch, result) from RFC 7386 appendix A
            ({"a": "b"}, {"a": "c"}, {"a": "c"}),
            ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
            ({"a": "b"}, {"a": None}, {}),
            ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
            ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
            ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
            ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
        ]
        for target, p, want in cases:
            with self.subTest(patch=p):
                self.assertEqual(patch.merge_patch(target, p), want)

    def test_json_patch(self):
        doc = {"a": {"b": [1, 2]}}
        out = patch.json_patch(doc, [{"op": "add", "path": "/a/b/-", "value": 3},
                                     {"op": "move", "from": "/a/b", "path": "/c"},
                                     {"op": "copy", "from": "/c", "path": "/d"},
                                     {"op": "remove", "path": "/a"},
                                     {"op": "test", "path": "/d/2", "value": 3}])
        self.assertEqual(out, {"c": [1, 2, 3], "d": [1, 2, 3]})
        self.assertEqual(doc, {"a": {"b": [1, 2]}})  # input untouched
        with self.assertRaises(patch.PatchError):
            patch.json_patch(doc, [{"op": "remove", "path": "/nope"}])
        with self.assertRaises(patch.MalformedPatch):
            patch.json_patch(doc, [{"op": "frob", "path": "/a"}])

    def test_strategic_merge(self):
        target = {"containers": [{"name": "a", "image": "1"}, {"name": "b", "image": "1"}],
                  "finalizers": ["x"], "args": ["1", "2"]}
        p = {"containers": [{"name": "b", "image": "2"}, {"name": "c", "image": "1"}],
             "$setElementOrder/containers": [{"name": "c"}, {"name": "a"}, {"name": "b"}],
             "finalizers": ["y"], "args": ["3"]}
        out = patch.strategic_merge_patch(target, p)
        self.assertEqual([(c["name"], c["image"]) for c in out["containers"]],
                         [("c", "1"), ("a", "1"), ("b", "2")])
        self.assertEqual(out["finalizers"], ["x", "y"])   # merged primitive list
        self.assertEqual(out["args"], ["3"])              # no merge key: replaced
        out = patch.strategic_merge_patch(target, {"containers": [{"$patch": "replace"},
                                                                  {"name": "z"}]})
        self.assertEqual(out["containers"], [{"name": "z"}])


class SchemaTest(unittest.TestCase):
    S = {"type": "object", "properties": {
        "spec": {"type": "object", "properties": {
            "n": {"type": "integer", "minimum": 1, "default": 3},
            "m": {"type": "object", "properties": {"x": {"type": "string", "default": "d"}}},
            "k": {"type": "object", "default": {}, "properties": {
                "y": {"type": "string", "default": "e"}}},
            "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
            "io": {"x-kubernetes-int-or-string": True},
            "nul": {"type": "string", "nullable": True, "default": "z"}}}}}

    def test_defaults_top_down(self):
        obj = {"spec": {"nul": None}}
        schema.apply_defaults(obj, self.S)
        # m has no default, so m.x is not materialised; k's {} default is, then k.y;
        # nullable null stays null.
        self.assertEqual(obj["spec"], {"n": 3, "k": {"y": "e"}, "nul": None})

    def test_prune(self):
        obj = {"apiVersion": "v", "kind": "K", "metadata": {"name": "a", "junk": 1},
               "spec": {"n": 2, "junk": 1, "free": {"any": {"thing": 1}}}, "junk": 2}
        pruned = []
        schema.prune(obj, self.S, "", pruned, root=True)
        self.assertEqual(sorted(pruned), ["junk", "metadata.junk", "spec.junk"])
        self.assertEqual(obj["spec"]["free"], {"any": {"thing": 1}})

    def test_validate(self):
        errs = schema.validate({"spec": {"n": 0, "io": 1.5}}, self.S, "")
        self.assertEqual([str(e) for e in errs], [
            "spec.n: Invalid value: 0: spec.n in body should be greater than or equal to 1",
            'spec.io: Invalid value: "number": spec.io in body must be of type integer,string: '
            '"number"'])

    def test_structural(self):
        self.assertEqual(schema.check_structural(self.S, "s"), [])
        errs = schema.check_structural({"type": "object", "properties": {"a": {}}}, "s")
        self.assertEqual([str(e) for e in errs], [
            "s.properties[a].type: Required value: must not be empty for specified object "
            "fields"])


class YamlTest(unittest.TestCase):
    def test_manifest_shapes(self):
        text = ("# c\n---\na: 1\nb: 'x: y'\nc: [1, \"two\", {d: e}]\nf:\n- g: h\n  i: [j]\n"
                "- k\nl: |\n  line1\n  line2\nm: null\nn: true\no: 1.5\np: ~\n"
                "q:\n  r:\n    s: t\n---\nsecond: doc\n")
        docs = yamlsub.load_all(text)
        self.assertEqual(docs[0], {"a": 1, "b": "x: y", "c": [1, "two", {"d": "e"}],
                                   "f": [{"g": "h", "i": ["j"]}, "k"], "l": "line1\nline2\n",
                                   "m": None, "n": True, "o": 1.5, "p": None,
                                   "q": {"r": {"s": "t"}}})
        self.assertEqual(docs[1], {"second": "doc"})

    def test_unsupported(self):
        with self.assertRaises(ValueError):
            yamlsub.load("a: &anchor 1")

    def test_fixture_crd(self):
        crd = fixture("widget-crd.yaml")[0]
        version = crd["spec"]["versions"][0]
        self.assertEqual(version["subresources"]["scale"]["specReplicasPath"], ".spec.replicas")
        self.assertEqual(version["schema"]["openAPIV3Schema"]["properties"]["spec"]
                         ["properties"]["size"]["enum"], ["small", "medium", "large"])


class CelTest(unittest.TestCase):
    CASES = [  # (rule, self, expected)
        ("self.a <= self.b", {"a": 1, "b": 2}, True),
        ("has(self.a) && !has(self.c)", {"a": 1}, True),
        ("size(self.l) == 2 && self.l.all(x, x > 0)", {"l": [1, 2]}, True),
        ("self.l.exists(x, x == 3)", {"l": [1, 2]}, False),
        ("self.s.startsWith('ab') && self.s.matches('^a.c$')", {"s": "abc"}, True),
        ("self.a > 1 ? self.b == 2 : false", {"a": 2, "b": 2}, True),
        ("'x' in self.m", {"m": {"x": 1}}, True),
        ("self.a + self.b * 2 == 5 && self.b / 2 == 1 && self.a % 2 == 1",
         {"a": 1, "b": 2}, True),
    ]

    def test_cases(self):
        for rule, obj, want in self.CASES:
            with self.subTest(rule=rule):
                self.assertEqual(cel.evaluate(cel.compile_rule(rule), {"self": obj}), want)

    def test_unsupported_rules_fail_compilation(self):
        for rule in ("self.a.frob()", "quantity(self.q) > 1", "self.a ==", "type(self) == int"):
            with self.subTest(rule=rule), self.assertRaises(cel.CelError):
                cel.compile_rule(rule)

    def test_validation_errors(self):
        s = {"type": "object", "properties": {"spec": {
            "type": "object", "x-kubernetes-validations": [
                {"rule": "self.a < 3"},
                {"rule": "self.a != 5", "messageExpression": "'a is ' + string(self.a)",
                 "reason": "FieldValueForbidden", "fieldPath": ".a"}],
            "properties": {"a": {"type": "integer"}}}}}
        errs = cel.validate({"spec": {"a": 5}}, None, s)
        self.assertEqual([str(e) for e in errs], [
            'spec: Invalid value: "object": failed rule: self.a < 3',
            "spec.a: Forbidden: a is 5"])
        self.assertIsInstance(errs[0], FieldError)


class RolloutTest(unittest.TestCase):
    """The rollout model with a simulated clock: pods become ready after the delay."""

    def setUp(self):
        from kubeemu.rollout import Rollout
        from kubeemu.store import Store
        self.now = 100.0
        self.store = Store()
        self.rollout = Rollout(self.store, delay_seconds=5, clock=lambda: self.now)

    def put(self, replicas, prev=None):
        obj = {"apiVersion": "apps/v1", "kind": "Deployment",
               "metadata": {"name": "web", "namespace": "ns", "generation": 1},
               "spec": {"replicas": replicas}}
        if prev is not None:
            obj["status"] = prev.get("status", {})
        return self.store.commit("apps/deployments", "MODIFIED" if prev else "ADDED", obj, prev)

    def status(self):
        self.rollout.tick()
        return self.store.get("apps/deployments", "ns", "web")["status"]

    def test_scale_up_waits_for_start_up_delay(self):
        cur = self.put(2)
        st = self.status()
        self.assertEqual((st["replicas"], st.get("readyReplicas", 0)), (2, 0))
        self.now += 4.9                       # not yet: delay is 5 s
        self.assertEqual(self.status().get("readyReplicas", 0), 0)
        self.now += 0.1                       # t = 105: both pods ready
        self.assertEqual(self.status()["readyReplicas"], 2)
        cur = self.store.get("apps/deployments", "ns", "web")
        self.put(3, cur)                      # third pod starts at t = 105
        self.assertEqual(self.status()["readyReplicas"], 2)
        self.now += 5
        st = self.status()
        self.assertEqual((st["replicas"], st["readyReplicas"], st["availableReplicas"]),
                         (3, 3, 3))
        self.assertEqual({c["type"]: c["status"] for c in st["conditions"]},
                         {"Available": "True", "Progressing": "True"})

    def test_scale_down_drops_unready_pods_first(self):
        self.put(1)
        self.now += 5                         # pod 1 ready
        self.status()
        self.put(3, self.store.get("apps/deployments", "ns", "web"))  # pods 2, 3 starting
        self.put(1, self.store.get("apps/deployments", "ns", "web"))
        st = self.status()
        # The ready pod is kept, so the scaled-down workload is immediately ready.
        self.assertEqual((st["replicas"], st["readyReplicas"]), (1, 1))


class ProtobufTest(unittest.TestCase):
    @staticmethod
    def field(num, payload):
        if isinstance(payload, int):
            return bytes([num << 3]) + bytes([payload])
        payload = payload.encode() if isinstance(payload, str) else payload
        return bytes([(num << 3) | 2, len(payload)]) + payload

    def test_configmap_envelope(self):
        from kubeemu import protobuf
        f = self.field
        meta = f(1, "cfg") + f(3, "ns") + f(11, f(1, "app") + f(2, "web"))
        raw = f(1, meta) + f(2, f(1, "a") + f(2, "b")) + f(4, 1)
        body = protobuf.MAGIC + f(1, f(1, "v1") + f(2, "ConfigMap")) + f(2, raw)
        self.assertEqual(protobuf.decode(body), {
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "cfg", "namespace": "ns", "labels": {"app": "web"}},
            "data": {"a": "b"}, "immutable": True})

    def test_unsupported_kind(self):
        from kubeemu import protobuf
        body = protobuf.MAGIC + self.field(1, self.field(1, "apps/v1") +
                                           self.field(2, "Deployment"))
        with self.assertRaises(protobuf.ProtobufError):
            protobuf.decode(body)


if __name__ == "__main__":
    unittest.main()
