#!/usr/bin/env python3
"""Writes requests.txt: the compose stack's sample rollout, one `key|value` line per Kafka record.

300 valid requests over the 10 policies that docker-compose.yml gives the Graph emulator (every target type),
plus a few broken on purpose (invalid fields, an unknown policy, bytes that are not JSON). Deterministic:
re-running it gives the same file. Usage: python3 ops/sample-rollout/generate.py > ops/sample-rollout/requests.txt
"""
import json
import random
import uuid

TENANT = "8f1c7e2a-1b2c-4d5e-8f90-0a1b2c3d4e5f"
POLICIES = [str(uuid.uuid5(uuid.NAMESPACE_URL, f"compose-policy-{i}")) for i in range(1, 11)]
ROLLOUT = "compose-rollout-1"
rng = random.Random(42)


def guid():
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def request(request_id, policy, target):
    return {"requestId": request_id, "tenantId": TENANT, "policyId": policy, "rolloutId": ROLLOUT,
            "assignment": {"@odata.type": "#microsoft.graph.deviceCompliancePolicyAssignment",
                           "target": target, "source": "direct", "sourceId": None}}


def target(i):
    if i < 10:
        return {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}
    if i < 20:
        return {"@odata.type": "#microsoft.graph.configurationManagerCollectionAssignmentTarget",
                "collectionId": "SMS00001"}
    if i < 30:
        return {"@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget"}
    kind = i % 4
    if kind == 0:
        return {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": guid(),
                "deviceAndAppManagementAssignmentFilterId": None,
                "deviceAndAppManagementAssignmentFilterType": "none"}
    if kind == 1:
        return {"@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", "groupId": guid()}
    if kind == 2:
        return {"@odata.type": "groupAssignmentTarget", "groupId": guid(),
                "deviceAndAppManagementAssignmentFilterId": guid(),
                "deviceAndAppManagementAssignmentFilterType": "include"}
    return {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": guid()}


lines = []
for i in range(300):
    rid = f"{ROLLOUT}/{i + 1:04d}"
    lines.append((rid, json.dumps(request(rid, POLICIES[i % len(POLICIES)], target(i)), separators=(",", ":"))))
group = {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": guid()}
broken = [
    ("invalid-bad-group", POLICIES[0], {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "not-a-guid"}),
    ("invalid-bad-policy", "policy-7", group),
    ("invalid-filter-without-id", POLICIES[0], {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget",
                                                "deviceAndAppManagementAssignmentFilterType": "include"}),
    ("unknown-policy", guid(), group),
]
for name, policy, tgt in broken:
    rid = f"{ROLLOUT}/{name}"
    lines.append((rid, json.dumps(request(rid, policy, tgt), separators=(",", ":"))))
lines.append(("garbage", "this is not JSON"))
for key, value in lines:
    assert "|" not in key and "|" not in value and "\n" not in value
    print(f"{key}|{value}")
