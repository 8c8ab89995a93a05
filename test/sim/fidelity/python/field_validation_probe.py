"""Unknown fields sent by the official Python client (a dict body, as scripts do).

Usage: field_validation_probe.py KUBECONFIG
Prints one JSON document: what a create without fieldValidation (the server's default, Warn)
and one with fieldValidation=Strict were answered with, and what was stored.
"""
import json
import sys

from kubernetes import client, config
from kubernetes.client.rest import ApiException


def main():
    api_client = config.new_client_from_config(config_file=sys.argv[1])
    api = client.CoreV1Api(api_client)
    body = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "py-warned", "colour": "blue"},
        "data": {"a": "b"},
        "extra": True,
    }
    _, status, headers = api.create_namespaced_config_map_with_http_info("default", body)
    stored = api.read_namespaced_config_map("py-warned", "default")
    raw = api_client.sanitize_for_serialization(stored)
    strict = {}
    try:
        api_client.call_api(
            "/api/v1/namespaces/default/configmaps",
            "POST",
            query_params=[("fieldValidation", "Strict")],
            header_params={"Content-Type": "application/json", "Accept": "application/json"},
            body=dict(body, metadata={"name": "py-strict", "colour": "blue"}),
            auth_settings=["BearerToken"],
            _preload_content=False,
        )
        strict = {"status": 201}
    except ApiException as e:
        parsed = json.loads(e.body) if e.body else {}
        strict = {"status": e.status, "reason": parsed.get("reason"), "message": parsed.get("message")}
    print(
        json.dumps(
            {
                "status": status,
                "warning": headers.get("Warning"),
                "storedKeys": sorted(raw.keys()),
                "storedMetadataKeys": sorted(raw["metadata"].keys()),
                "strict": strict,
            }
        )
    )


if __name__ == "__main__":
    main()
