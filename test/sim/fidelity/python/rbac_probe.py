"""RBAC and TokenRequest through the official Python client (Debian's python3-kubernetes).

Usage: rbac_probe.py ADMIN_KUBECONFIG
Creates a namespace, a ServiceAccount, a Role and a RoleBinding as the admin, asks for a token
(TokenRequest), then acts with that token alone and prints one JSON document of what it saw.
"""
import json
import sys

from kubernetes import client, config
from kubernetes.client.rest import ApiException


def api_client(kubeconfig):
    return config.new_client_from_config(config_file=kubeconfig)


def status_of(call):
    try:
        call()
        return 200
    except ApiException as e:
        return e.status


def main():
    admin = api_client(sys.argv[1])
    core = client.CoreV1Api(admin)
    rbac = client.RbacAuthorizationV1Api(admin)
    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name="py")))
    core.create_namespaced_service_account("py", client.V1ServiceAccount(metadata=client.V1ObjectMeta(name="probe")))
    rbac.create_namespaced_role(
        "py",
        client.V1Role(
            metadata=client.V1ObjectMeta(name="lister"),
            rules=[client.V1PolicyRule(api_groups=[""], resources=["pods"], verbs=["list"])],
        ),
    )
    rbac.create_namespaced_role_binding(
        "py",
        client.V1RoleBinding(
            metadata=client.V1ObjectMeta(name="lister"),
            role_ref=client.V1RoleRef(api_group="rbac.authorization.k8s.io", kind="Role", name="lister"),
            subjects=[client.V1Subject(kind="ServiceAccount", name="probe", namespace="py")],
        ),
    )
    request = client.AuthenticationV1TokenRequest(
        spec=client.V1TokenRequestSpec(audiences=[], expiration_seconds=3600)
    )
    issued = core.create_namespaced_service_account_token("probe", "py", request)

    configuration = client.Configuration()
    configuration.host = admin.configuration.host
    configuration.ssl_ca_cert = admin.configuration.ssl_ca_cert
    configuration.api_key = {"authorization": "Bearer " + issued.status.token}
    sa = client.ApiClient(configuration)
    sa_core = client.CoreV1Api(sa)
    authz = client.AuthorizationV1Api(sa)

    def review(verb, resource, namespace):
        body = client.V1SelfSubjectAccessReview(
            spec=client.V1SelfSubjectAccessReviewSpec(
                resource_attributes=client.V1ResourceAttributes(verb=verb, resource=resource, namespace=namespace)
            )
        )
        status = authz.create_self_subject_access_review(body).status
        return {"allowed": status.allowed, "reason": status.reason}

    rules = authz.create_self_subject_rules_review(
        client.V1SelfSubjectRulesReview(spec=client.V1SelfSubjectRulesReviewSpec(namespace="py"))
    ).status
    print(
        json.dumps(
            {
                "audiences": issued.spec.audiences,
                "expirationSeconds": issued.spec.expiration_seconds,
                "listOwn": status_of(lambda: sa_core.list_namespaced_pod("py")),
                "listOther": status_of(lambda: sa_core.list_namespaced_pod("default")),
                "deleteOwn": status_of(lambda: sa_core.delete_collection_namespaced_pod("py")),
                "reviewList": review("list", "pods", "py"),
                "reviewDelete": review("delete", "pods", "py"),
                "rules": [
                    {"verbs": r.verbs, "apiGroups": r.api_groups, "resources": r.resources}
                    for r in rules.resource_rules
                ],
                "badToken": status_of(
                    lambda: client.CoreV1Api(
                        client.ApiClient(
                            _with_token(configuration, issued.status.token[:-4] + "AAAA")
                        )
                    ).list_namespaced_pod("py")
                ),
            }
        )
    )


def _with_token(base, token):
    c = client.Configuration()
    c.host = base.host
    c.ssl_ca_cert = base.ssl_ca_cert
    c.api_key = {"authorization": "Bearer " + token}
    return c


if __name__ == "__main__":
    main()
