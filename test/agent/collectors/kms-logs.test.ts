import { afterEach, describe, expect, it } from "vitest";
import {
  CreateGrantCommand,
  CreateKeyCommand,
  EnableKeyRotationCommand,
  KMSClient,
  ScheduleKeyDeletionCommand,
} from "@aws-sdk/client-kms";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { collectKey } from "../../../agent/collectors/kms";
import { collectLogGroup } from "../../../agent/collectors/logs";
import { useMoto } from "../../helpers/moto";
import { agentClients, MOTO_DEFAULT_ACCOUNT, REGION } from "./_clients";

const moto = useMoto();
let env: ReturnType<typeof agentClients>;
afterEach(() => env?.destroy());

const SECURITY = "333333333333";
const KEY_POLICY = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "KeyAdministration",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${SECURITY}:root` },
      Action: "kms:*",
      Resource: "*",
    },
  ],
};

describe("collectKey (moto, key in another account entered through the read role)", () => {
  it("reads policy, grants, rotation and state of the key", async () => {
    env = agentClients(moto.endpoint);
    const kms = await env.get(KMSClient, SECURITY);
    const key = (
      await kms.send(new CreateKeyCommand({ Policy: JSON.stringify(KEY_POLICY), Description: "archive key" }))
    ).KeyMetadata!;
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId }));
    const grantee = `arn:aws:iam::${SECURITY}:role/orgwarden-log-auditor`;
    const grantId = (
      await kms.send(
        new CreateGrantCommand({
          KeyId: key.KeyId,
          GranteePrincipal: grantee,
          Operations: ["Decrypt", "DescribeKey"],
          Name: "auditor",
        }),
      )
    ).GrantId!;
    expect(key.Arn).toMatch(new RegExp(`^arn:aws:kms:${REGION}:${SECURITY}:key/`));

    const o = await collectKey(kms, SECURITY, REGION, key.Arn!);

    expect(o.policy).toEqual({ ok: true, value: KEY_POLICY });
    expect(o.grants).toEqual({
      ok: true,
      value: [
        {
          grantId,
          name: "auditor",
          granteePrincipal: grantee,
          retiringPrincipal: undefined,
          operations: ["Decrypt", "DescribeKey"],
        },
      ],
    });
    expect(o.rotationEnabled).toEqual({ ok: true, value: true });
    expect(o.metadata).toEqual({
      ok: true,
      value: { keyState: "Enabled", deletionDate: undefined, keySpec: "SYMMETRIC_DEFAULT" },
    });
  });

  it("a key pending deletion reports its state and date", async () => {
    env = agentClients(moto.endpoint);
    const kms = await env.get(KMSClient, SECURITY);
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const deletion = (await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 })))
      .DeletionDate!;
    const o = await collectKey(kms, SECURITY, REGION, key.Arn!);
    expect(o.metadata).toEqual({
      ok: true,
      value: { keyState: "PendingDeletion", deletionDate: deletion.toISOString(), keySpec: "SYMMETRIC_DEFAULT" },
    });
  });

  it("an unknown key is a failed read naming NotFoundException for every piece", async () => {
    env = agentClients(moto.endpoint);
    const kms = await env.get(KMSClient, SECURITY);
    const arn = `arn:aws:kms:${REGION}:${SECURITY}:key/00000000-0000-0000-0000-000000000000`;
    const o = await collectKey(kms, SECURITY, REGION, arn);
    for (const [piece, operation] of [
      [o.policy, "GetKeyPolicy"],
      [o.rotationEnabled, "GetKeyRotationStatus"],
      [o.metadata, "DescribeKey"],
    ] as const) {
      expect(piece).toMatchObject({
        ok: false,
        error: { name: "NotFoundException", operation, service: "kms", account: SECURITY, region: REGION },
      });
    }
    // moto answers ListGrants for an unknown key with a body that is not AWS JSON; still a failed read, never an empty list.
    expect(o.grants).toMatchObject({
      ok: false,
      error: { operation: "ListGrants", service: "kms", account: SECURITY },
    });
  });
});

describe("collectLogGroup (moto)", () => {
  it("reads retention, the group's KMS key and the newest ingestion over the group's streams", async () => {
    env = agentClients(moto.endpoint);
    const logs = await env.get(CloudWatchLogsClient, MOTO_DEFAULT_ACCOUNT);
    const name = "/orgwarden/cloudtrail";
    const keyArn = `arn:aws:kms:${REGION}:${MOTO_DEFAULT_ACCOUNT}:key/0b7e3c6a-1f2d-4e5a-9c8b-7a6d5e4f3c2b`;
    await logs.send(new CreateLogGroupCommand({ logGroupName: name, kmsKeyId: keyArn }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: `${name}-other` }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: 365 }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: name, logStreamName: "a" }));
    const before = Date.now();
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: name,
        logStreamName: "a",
        logEvents: [{ timestamp: before, message: "{}" }],
      }),
    );
    const after = Date.now();

    const o = await collectLogGroup(logs, MOTO_DEFAULT_ACCOUNT, REGION, name);

    if (!o.ok) throw new Error(o.error.name);
    expect({ ...o.value, lastIngestionTime: undefined }).toEqual({
      name,
      exists: true,
      retentionDays: 365,
      kmsKeyId: keyArn,
      lastIngestionTime: undefined,
    });
    const ingested = Date.parse(o.value.lastIngestionTime ?? "");
    // Ingestion time is stamped by the server when the events arrive: between the two client clocks.
    expect(ingested).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(ingested).toBeLessThanOrEqual(after + 1000);
  });

  it("a group that does not exist is an observed absence (a longer name with the same prefix does not count)", async () => {
    env = agentClients(moto.endpoint);
    const logs = await env.get(CloudWatchLogsClient, MOTO_DEFAULT_ACCOUNT);
    await logs.send(new CreateLogGroupCommand({ logGroupName: "/orgwarden/cloudtrail-old" }));
    expect(await collectLogGroup(logs, MOTO_DEFAULT_ACCOUNT, REGION, "/orgwarden/cloudtrail")).toEqual({
      ok: true,
      value: { name: "/orgwarden/cloudtrail", exists: false },
    });
  });
});
