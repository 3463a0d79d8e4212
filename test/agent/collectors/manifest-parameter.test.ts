/**
 * The audit manifest's parameters against moto: infra's write (head + parts, each with the digest
 * tag) read back by the Lambda's reader (one GetParameters call) and by the collector through the
 * read role, and judged by audit-manifest-parameter. The failing scenarios are what an attacker
 * with ssm:PutParameter, DeleteParameter or tag rights can do to the head or to one part.
 */
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import {
  AddTagsToResourceCommand,
  DeleteParameterCommand,
  PutParameterCommand,
  RemoveTagsFromResourceCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { collectManifestParameter } from "../../../agent/collectors/manifest-parameter";
import * as check from "../../../agent/checks/organization/audit-manifest-parameter";
import { loadManifest } from "../../../agent/lambda-common";
import type { ObservedState } from "../../../agent/model";
import {
  encodeManifestParameter,
  encodeManifestParameters,
  MANIFEST_DIGEST_TAG,
  manifestData,
  manifestDigest,
  manifestParameterNames,
  parseAuditManifest,
  type AuditManifest,
} from "../../../baseline";
import { cleanManifest, cleanObserved, CTX } from "../checks/fixtures";
import { useMoto } from "../../helpers/moto";
import { agentClients, REGION } from "./_clients";

const moto = useMoto();
let env: ReturnType<typeof agentClients>;
afterEach(() => env?.destroy());

/**
 * The fixture manifest, its security account and home region as moto's (us-east-1), with published
 * waivers whose random reasons barely compress: its data needs the head and two parts.
 */
function manifest(over: Partial<AuditManifest> = {}): AuditManifest {
  const m = cleanManifest();
  const waivers = Array.from({ length: 20 }, (_, i) => ({
    checkId: "ssm-agent-associations",
    account: "444444444444",
    reason: `${i} ${REASONS[i]}`,
    approvedBy: "security-lead@example.com",
    expires: "2027-03-31",
  }));
  return parseAuditManifest({ ...m, regions: { home: REGION, governed: [REGION] }, waivers, ...over });
}
const REASONS = Array.from({ length: 20 }, () => randomBytes(500).toString("hex"));
const SECURITY = manifest().organization.securityAccountId;
const NAME = `/orgwarden/${manifest().stack}/audit-manifest`;
const NAMES = manifestParameterNames(NAME);

/** What infra/audit-manifest.ts writes: six String, Advanced parameters, each with the digest tag. */
async function infraWrites(ssm: SSMClient, m: AuditManifest): Promise<string[]> {
  const values = encodeManifestParameters(m.schemaVersion, manifestData(m));
  for (const [i, name] of NAMES.entries())
    await ssm.send(
      new PutParameterCommand({
        Name: name,
        Value: values[i],
        Type: "String",
        Tier: "Advanced",
        Tags: [
          { Key: MANIFEST_DIGEST_TAG, Value: manifestDigest(m) },
          { Key: "ManagedBy", Value: "orgwarden" },
        ],
      }),
    );
  return values;
}

async function rewrite(ssm: SSMClient, name: string, value: string): Promise<void> {
  await ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: "String", Overwrite: true }));
}

/** What the Lambda judges with: the parameters' values, read in one call, joined, decoded and validated. */
async function lambdaLoads(ssm: SSMClient): Promise<AuditManifest> {
  return parseAuditManifest(await loadManifest(ssm, NAME));
}

async function judge(ssm: SSMClient, judgedWith: AuditManifest) {
  const o: ObservedState = {
    ...cleanObserved(),
    manifestParameter: await collectManifestParameter(ssm, SECURITY, REGION, NAME),
  };
  return check.evaluate(o, judgedWith, CTX);
}

describe("audit-manifest-parameter (moto: the parameters in the security account, read through the read role)", () => {
  it("PASS: the six parameters infra wrote (data in four of them), read back by the Lambda and judged with their own value", async () => {
    env = agentClients(moto.endpoint);
    const ssm = await env.get(SSMClient, SECURITY);
    const values = await infraWrites(ssm, manifest());
    expect(values.map((v) => (JSON.parse(v) as { data: string }).data.length > 0)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(await lambdaLoads(ssm)).toEqual(manifest());
    const collected = await collectManifestParameter(ssm, SECURITY, REGION, NAME);
    expect(collected.metadata.ok && collected.metadata.value).toMatchObject({ type: "String", version: 1 });
    expect(collected.parts.map((p) => [p.name, p.index, p.metadata.ok && p.metadata.value?.type, p.tags])).toEqual(
      NAMES.slice(1).map((n, i) => [
        n,
        i + 2,
        "String",
        { ok: true, value: { [MANIFEST_DIGEST_TAG]: manifestDigest(manifest()), ManagedBy: "orgwarden" } },
      ]),
    );
    const [f] = await judge(ssm, await lambdaLoads(ssm));
    expect([f.status, f.resourceArn]).toEqual(["PASS", `arn:aws:ssm:${REGION}:${SECURITY}:parameter${NAME}`]);
    expect(f.message).toContain(`and of each of its 5 parts (${NAMES.slice(1).join(", ")})`);
  });

  it("the Lambda still reads today's single parameter (no parts written)", async () => {
    env = agentClients(moto.endpoint);
    const ssm = await env.get(SSMClient, SECURITY);
    await ssm.send(
      new PutParameterCommand({
        Name: NAME,
        Value: encodeManifestParameter(manifest()),
        Type: "String",
        Tier: "Advanced",
      }),
    );
    expect(await lambdaLoads(ssm)).toEqual(manifest());
  });

  it("CRITICAL FAIL: head and parts rewritten as a consistent set (a week of delivery silence allowed); the tags still pin infra's manifest", async () => {
    env = agentClients(moto.endpoint);
    const ssm = await env.get(SSMClient, SECURITY);
    await infraWrites(ssm, manifest());
    const weakened = manifest({ thresholds: { ...manifest().thresholds, deliveryMaxAgeMinutes: 10_080 } });
    const values = encodeManifestParameters(1, manifestData(weakened));
    for (const [i, name] of NAMES.entries()) await rewrite(ssm, name, values[i]);
    const judgedWith = await lambdaLoads(ssm);
    expect(judgedWith.thresholds.deliveryMaxAgeMinutes).toBe(10_080);
    const [f] = await judge(ssm, judgedWith);
    expect([f.status, f.severity]).toEqual(["FAIL", "CRITICAL"]);
    expect(f.message).toContain(`(${MANIFEST_DIGEST_TAG} = ${manifestDigest(manifest())}; version 2,`);
    // The parts still carry the head's tag: the rewrite is the head's finding, no part is blamed for it.
    expect(f.message).not.toMatch(/part \d of 6/i);
    expect(f.observed).toMatchObject({ version: 2, judgedWithSha256: manifestDigest(weakened) });
  });

  it("one part rewritten with a part of another write: the Lambda refuses the mixed set naming it", async () => {
    env = agentClients(moto.endpoint);
    const ssm = await env.get(SSMClient, SECURITY);
    const values = await infraWrites(ssm, manifest());
    const other = encodeManifestParameters(1, manifestData(manifest({ stack: "other" })));
    await rewrite(ssm, NAMES[2], other[2]);
    const ours = (JSON.parse(values[0]) as { digest: string }).digest;
    const theirs = (JSON.parse(other[2]) as { digest: string }).digest;
    await expect(lambdaLoads(ssm)).rejects.toThrow(
      `SSM parameter ${NAME}: part 3 of 6, SSM parameter ${NAMES[2]}, belongs to another write of the manifest (its digest ${theirs}, the head's ${ours})`,
    );
  });

  it("CRITICAL FAIL naming the part: a part deleted (and the Lambda refuses the partial set)", async () => {
    env = agentClients(moto.endpoint);
    const ssm = await env.get(SSMClient, SECURITY);
    await infraWrites(ssm, manifest());
    await ssm.send(new DeleteParameterCommand({ Name: NAMES[3] }));
    await expect(lambdaLoads(ssm)).rejects.toThrow(
      `SSM parameter ${NAME}: part 4 of 6, SSM parameter ${NAMES[3]}, does not exist: the set is partial`,
    );
    const [f] = await judge(ssm, manifest());
    expect([f.status, f.severity]).toEqual(["FAIL", "CRITICAL"]);
    expect(f.message).toBe(
      `Part 4 of 6, ${NAMES[3]}, does not exist: the nightly run refuses the partial set and audits nothing; it was deleted, or never written (run \`pulumi up\`).`,
    );
  });

  it("CRITICAL FAIL naming the part: a part re-tagged with another manifest's digest", async () => {
    env = agentClients(moto.endpoint);
    const ssm = await env.get(SSMClient, SECURITY);
    await infraWrites(ssm, manifest());
    const forged = manifestDigest(manifest({ stack: "other" }));
    await ssm.send(
      new AddTagsToResourceCommand({
        ResourceType: "Parameter",
        ResourceId: NAMES[5],
        Tags: [{ Key: MANIFEST_DIGEST_TAG, Value: forged }],
      }),
    );
    const [f] = await judge(ssm, await lambdaLoads(ssm));
    expect([f.status, f.severity]).toEqual(["FAIL", "CRITICAL"]);
    expect(f.message).toMatch(
      new RegExp(
        `^Part 6 of 6, ${NAMES[5]}, is pinned to another manifest \\(${MANIFEST_DIGEST_TAG} = ${forged}, not the head's ${manifestDigest(manifest())}; `,
      ),
    );
  });

  it("CRITICAL FAIL: the head's digest tag was removed", async () => {
    env = agentClients(moto.endpoint);
    const ssm = await env.get(SSMClient, SECURITY);
    await infraWrites(ssm, manifest());
    await ssm.send(
      new RemoveTagsFromResourceCommand({
        ResourceType: "Parameter",
        ResourceId: NAME,
        TagKeys: [MANIFEST_DIGEST_TAG],
      }),
    );
    const [f] = await judge(ssm, await lambdaLoads(ssm));
    expect([f.status, f.severity]).toEqual(["FAIL", "CRITICAL"]);
    expect(f.message).toContain(`carries no ${MANIFEST_DIGEST_TAG} tag`);
  });

  it("CRITICAL FAIL: no such parameter (the manifest came from a file, the parameters were never written); the Lambda names it", async () => {
    env = agentClients(moto.endpoint);
    const ssm = await env.get(SSMClient, SECURITY);
    await expect(lambdaLoads(ssm)).rejects.toThrow(
      `SSM parameter ${NAME}: audit manifest parameter does not exist or has no value`,
    );
    const [f] = await judge(ssm, manifest());
    expect([f.status, f.severity, f.observed]).toEqual(["FAIL", "CRITICAL", { exists: false }]);
  });

  it("ERROR (never PASS) when the read fails: nothing answers at the endpoint", async () => {
    env = agentClients("http://127.0.0.1:9");
    const ssm = env.clients.get(SSMClient, SECURITY, REGION);
    const [f] = await judge(ssm, manifest());
    expect(f.status).toBe("ERROR");
    expect(f.error?.operation).toBe("DescribeParameters");
  });
});
