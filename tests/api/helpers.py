import json

from django.test import Client

from credo.core.auth import create_token


class ApiClient:
    """JSON calls under /api/customers/ as one user, authenticated with a Bearer token."""

    def __init__(self, user):
        self.user = user
        self.client = Client(headers={"Authorization": f"Bearer {create_token(user, 'test')}"})

    @staticmethod
    def url(path=""):
        return "/api/customers/" + str(path).lstrip("/")

    def get(self, path="", **params):
        return self.client.get(self.url(path), params)

    def post(self, path, data):
        return self.client.post(self.url(path), json.dumps(data), content_type="application/json")

    def patch(self, path, data):
        return self.client.patch(self.url(path), json.dumps(data), content_type="application/json")


def error_fields(response) -> set:
    """Names of the fields a 422 response complains about."""
    assert response.status_code == 422, response.content
    return {e["loc"][1] for e in response.json()["detail"] if len(e["loc"]) > 1}
