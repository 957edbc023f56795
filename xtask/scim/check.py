"""Runs scim2-tester against one SCIM base URL; prints one JSON object per check.

Usage: check.py BASE_URL (discover|describe|describe-create|describe-ok-on-create);
the bearer token in SCIM_TOKEN.
`describe` gives the client the User and Group models and the service
provider configuration up front, for a server without the discovery endpoints
(the VCF Identity Broker); `discover` lets scim2-tester read them from the
server. `describe-create` runs only the creation checks (tag `crud:create`);
`describe-ok-on-create` takes the broker's documented 200 on create as a
creation's answer, so that the checks after a creation run at all (the 200
itself is judged by the `describe-create` run).
"""

import json
import os
import sys

from httpx2 import Client
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_models import (
    Bulk,
    ChangePassword,
    ETag,
    Filter,
    Group,
    Patch,
    ScimProvider,
    ServiceProviderConfig,
    Sort,
    User,
)
from scim2_tester import check_server


class OkOnCreateClient(SyncSCIMClient):
    """A client that also takes 200 as the answer to a creation."""

    def create(self, *args, **kwargs):
        codes = kwargs.get("expected_status_codes") or SyncSCIMClient.CREATION_RESPONSE_STATUS_CODES
        kwargs["expected_status_codes"] = [*codes, 200]
        return super().create(*args, **kwargs)


def main() -> int:
    modes = ("discover", "describe", "describe-create", "describe-ok-on-create")
    if len(sys.argv) != 3 or sys.argv[2] not in modes:
        print(__doc__, file=sys.stderr)
        return 2
    url, mode = sys.argv[1], sys.argv[2]
    token = os.environ.get("SCIM_TOKEN", "")
    http = Client(
        base_url=url,
        headers={"Authorization": f"Bearer {token}"},
        timeout=10.0,
    )
    include_tags = {"crud:create"} if mode == "describe-create" else None
    if mode != "discover":
        # What the broker's reference documents: filter, sortBy/sortOrder
        # and PATCH on Users and Groups; no bulk, password or ETag
        # operations.
        config = ServiceProviderConfig(
            patch=Patch(supported=True),
            bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
            filter=Filter(supported=True, max_results=200),
            change_password=ChangePassword(supported=False),
            sort=Sort(supported=True),
            etag=ETag(supported=False),
        )
        engine = OkOnCreateClient if mode == "describe-ok-on-create" else SyncSCIMClient
        client = engine(
            http, provider=ScimProvider(models=[User, Group], config=config)
        )
    else:
        client = SyncSCIMClient(http)
    for result in check_server(client, include_tags=include_tags):
        print(
            json.dumps(
                {
                    "title": result.title,
                    "status": result.status.name,
                    "resource_type": result.resource_type,
                    "reason": result.reason,
                }
            ),
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
