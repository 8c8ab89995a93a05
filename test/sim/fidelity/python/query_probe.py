"""Query parameters as the official Python client sends them (booleans as "True").

Usage: query_probe.py KUBECONFIG
Prints one JSON document: what a watch (watch=True), a watch from resourceVersion 1, and lists
with bad resourceVersionMatch values and unsupported field selectors were answered with.
"""
import json
import sys

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException


def error_of(call):
    try:
        call()
        return {"status": 200}
    except ApiException as e:
        body = json.loads(e.body) if e.body else {}
        return {"status": e.status, "reason": body.get("reason"), "message": body.get("message")}


def main():
    api = client.CoreV1Api(config.new_client_from_config(config_file=sys.argv[1]))
    rv = api.list_namespace().metadata.resource_version
    events = []
    w = watch.Watch()
    for event in w.stream(api.list_namespace, timeout_seconds=5, allow_watch_bookmarks=True):
        events.append([event["type"], event["object"].metadata.name])
        w.stop()
    try:
        for _ in watch.Watch().stream(api.list_namespace, resource_version="1", timeout_seconds=5):
            pass
        too_old = {"status": 200}
    except ApiException as e:
        too_old = {"status": e.status, "reason": e.reason}
    print(
        json.dumps(
            {
                "listResourceVersion": rv,
                "watchEvents": events,
                "tooOld": too_old,
                "matchWithoutVersion": error_of(lambda: api.list_namespaced_pod("default", resource_version_match="Exact")),
                "matchBogus": error_of(
                    lambda: api.list_namespaced_pod("default", resource_version="1", resource_version_match="Bogus")
                ),
                "matchNotOlderThan": error_of(
                    lambda: api.list_namespaced_pod("default", resource_version=rv, resource_version_match="NotOlderThan")
                ),
                "podField": error_of(lambda: api.list_namespaced_pod("default", field_selector="spec.foo=bar")),
                "podPhase": error_of(lambda: api.list_namespaced_pod("default", field_selector="status.phase=Running")),
                "configMapField": error_of(
                    lambda: api.list_namespaced_config_map("default", field_selector="data.k=v")
                ),
            }
        )
    )


if __name__ == "__main__":
    main()
