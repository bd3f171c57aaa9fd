"""core/v1 and events.k8s.io/v1 Events share one storage (stored as core/v1).

Field mapping (K8S:pkg/apis/events/v1 conversion): regarding<->involvedObject,
note<->message, reportingController<->reportingComponent, deprecatedSource/
FirstTimestamp/LastTimestamp/Count <-> source/firstTimestamp/lastTimestamp/count.
"""

_V1_TO_CORE = {
    "regarding": "involvedObject", "note": "message",
    "reportingController": "reportingComponent", "deprecatedSource": "source",
    "deprecatedFirstTimestamp": "firstTimestamp", "deprecatedLastTimestamp": "lastTimestamp",
    "deprecatedCount": "count",
}
_CORE_TO_V1 = {v: k for k, v in _V1_TO_CORE.items()}


def v1_to_core(obj):
    out = {}
    for k, v in obj.items():
        out[_V1_TO_CORE.get(k, k)] = v
    out["apiVersion"] = "v1"
    out["kind"] = "Event"
    return out


def core_to_v1(obj):
    out = {}
    for k, v in obj.items():
        out[_CORE_TO_V1.get(k, k)] = v
    out["apiVersion"] = "events.k8s.io/v1"
    out["kind"] = "Event"
    return out
