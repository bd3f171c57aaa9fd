"""kubeemu: a strict, in-memory Kubernetes API server for Foresight's tests.

Python 3 standard library only. See tests/apiserver/README.md for how to run it
and docs in shared/docs/kube-api-contract.md (beside the repository) for the wire contract it follows.
"""
