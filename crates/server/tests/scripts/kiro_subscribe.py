"""Drive the Kiro subscription APIs the way public admin scripts do: a raw AWS JSON 1.0 POST,
signed with botocore's SigV4Auth, to the codewhisperer / user-subscriptions endpoints.

usage: kiro_subscribe.py ENDPOINT SERVICE REGION TARGET JSON_BODY
prints the HTTP status and the response body as one JSON line: {"status": N, "body": {...}}
"""
import json
import sys
import urllib.error
import urllib.request

import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest


def main():
    endpoint, service, region, target, body = sys.argv[1:6]
    credentials = botocore.session.get_session().get_credentials()
    request = AWSRequest(
        method="POST",
        url=endpoint + "/",
        data=body.encode(),
        headers={
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": target,
        },
    )
    SigV4Auth(credentials, service, region).add_auth(request)
    prepared = urllib.request.Request(
        request.url, data=request.body, headers=dict(request.headers.items()), method="POST"
    )
    try:
        with urllib.request.urlopen(prepared, timeout=10) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        status, text = err.code, err.read().decode()
    print(json.dumps({"status": status, "body": json.loads(text) if text else None}))


if __name__ == "__main__":
    main()
