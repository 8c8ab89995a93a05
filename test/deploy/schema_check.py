"""Offline schema check of Kubernetes manifests with the official Python client's models.

Reads JSON documents (a list) on stdin. Each is deserialized into its kind's model (V1Deployment,
V1CronJob, ...) with client-side validation on (required fields, enums), serialized back, and
compared with the input: a field the model does not know is dropped by the round trip and
reported, so a misspelt or misplaced field fails. Prints one problem per line; exit 1 if any.
Run with Debian's /usr/bin/python3 (package python3-kubernetes).
"""
import json
import sys

from kubernetes import client


class _Response:
    def __init__(self, data):
        self.data = data


def model_name(doc):
    version = doc["apiVersion"].split("/")[-1]
    return version[0].upper() + version[1:] + doc["kind"]


def missing(original, roundtrip, path):
    if isinstance(original, dict):
        if not isinstance(roundtrip, dict):
            yield f"{path}: expected an object"
            return
        for key, value in original.items():
            if key not in roundtrip:
                yield f"{path}.{key}: not a field of this kind"
            else:
                yield from missing(value, roundtrip[key], f"{path}.{key}")
    elif isinstance(original, list):
        if not isinstance(roundtrip, list) or len(roundtrip) != len(original):
            yield f"{path}: expected a list"
            return
        for i, (a, b) in enumerate(zip(original, roundtrip)):
            yield from missing(a, b, f"{path}[{i}]")


def main():
    api = client.ApiClient()
    problems = []
    for doc in json.load(sys.stdin):
        where = f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
        name = model_name(doc)
        if not hasattr(client, name):
            problems.append(f"{where}: no model {name} for {doc['apiVersion']} {doc['kind']}")
            continue
        try:
            obj = api.deserialize(_Response(json.dumps(doc)), name)
        except (ValueError, TypeError) as err:
            problems.append(f"{where}: {err}")
            continue
        back = api.sanitize_for_serialization(obj)
        problems.extend(f"{where}: {p}" for p in missing(doc, back, ""))
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


main()
