"""Creates a ReplicaSet of zero replicas and reads it back with the official Python client.

Usage: replicaset_probe.py KUBECONFIG. V1ReplicaSetStatus.replicas is a required field of the
client's model: a status without it fails deserialisation, as it would against a broken server.
"""
import json
import sys

from kubernetes import client, config


def main():
    api_client = config.new_client_from_config(config_file=sys.argv[1])
    core = client.CoreV1Api(api_client)
    apps = client.AppsV1Api(api_client)
    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name="rs")))
    labels = {"app": "idle"}
    body = client.V1ReplicaSet(
        metadata=client.V1ObjectMeta(name="idle"),
        spec=client.V1ReplicaSetSpec(
            replicas=0,
            selector=client.V1LabelSelector(match_labels=labels),
            template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels=labels),
                spec=client.V1PodSpec(containers=[client.V1Container(name="c", image="busybox:1.36")]),
            ),
        ),
    )
    apps.create_namespaced_replica_set("rs", body)
    rs = apps.read_namespaced_replica_set("idle", "rs")
    print(json.dumps({"replicas": rs.status.replicas, "specReplicas": rs.spec.replicas}))


if __name__ == "__main__":
    main()
