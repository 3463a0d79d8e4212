/**
 * The audit manifest parameter against moto: infra's write (value + digest tag) read back by the
 * collector through the read role and judged by audit-manifest-parameter. The failing scenarios
 * are what an attacker with ssm:PutParameter (or tag rights) can do; the manifest judged with is
 * what the Lambda would load from the parameter at that moment.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  GetParameterCommand,
  PutParameterCommand,
  RemoveTagsFromResourceCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { collectManifestParameter } from "../../../agent/collectors/manifest-parameter";
import * as check from "../../../agent/checks/organization/audit-manifest-parameter";
import type { ObservedState } from "../../../agent/model";
import {
  decodeManifestParameter,
  encodeManifestParameter,
  MANIFEST_DIGEST_TAG,
  manifestDigest,
  parseAuditManifest,
  type AuditManifest,
} from "../../../baseline";
import { cleanManifest, cleanObserved, CTX } from "../checks/fixtures";
import { useMoto } from "../../helpers/moto";
import { agentClients, REGION } from "./_clients";

const moto = useMoto();
let env: ReturnType<typeof agentClients>;
afterEach(() => env?.destroy());

/** The fixture manifest, its security account and home region as moto's (us-east-1). */
function manifest(): AuditManifest {
  const m = cleanManifest();
  return parseAuditManifest({ ...m, regions: { home: REGION, governed: [REGION] } });
}
const SECURITY = manifest().organization.securityAccountId;
const NAME = `/orgwarden/${manifest().stack}/audit-manifest`;

/** What infra/audit-manifest.ts writes: the encoded manifest, String, Advanced, with the digest tag. */
async function infraWrites(ssm: SSMClient, m: AuditManifest): Promise<void> {
  await ssm.send(
    new PutParameterCommand({
      Name: NAME,
      Value: encodeManifestParameter(m),
      Type: "String",
      Tier: "Advanced",
      Tags: [
        { Key: MANIFEST_DIGEST_TAG, Value: manifestDigest(m) },
        { Key: "ManagedBy", Value: "orgwarden" },
      ],
    }),
  );
}

/** What the Lambda judges with: the parameter's value, decoded and validated. */
async function lambdaLoads(ssm: SSMClient): Promise<AuditManifest> {
  const r = await ssm.send(new GetParameterCommand({ Name: NAME }));
  return parseAuditManifest(decodeManifestParameter(r.Parameter!.Value!));
}

async function judge(ssm: SSMClient, judgedWith: AuditManifest) {
  const o: ObservedState = {
    ...cleanObserved(),
    manifestParameter: await collectManifestParameter(ssm, SECURITY, REGION, NAME),
  };
  return check.evaluate(o, judgedWith, CTX);
}

describe("audit-manifest-parameter (moto: the parameter in the security account, read through the read role)", () => {
  it("PASS: the parameter infra wrote, judged with its own value", async () => {
    env = agentClients(moto.endpoint);
    const ssm = await env.get(SSMClient, SECURITY);
    await infraWrites(ssm, manifest());
    const collected = await collectManifestParameter(ssm, SECURITY, REGION, NAME);
    expect(collected.metadata.ok && collected.metadata.value).toMatchObject({ type: "String", version: 1 });
    expect(collected.tags).toEqual({
      ok: true,
      value: { [MANIFEST_DIGEST_TAG]: manifestDigest(manifest()), ManagedBy: "orgwarden" },
    });
    const [f] = await judge(ssm, await lambdaLoads(ssm));
    expect([f.status, f.resourceArn]).toEqual(["PASS", `arn:aws:ssm:${REGION}:${SECURITY}:parameter${NAME}`]);
    expect(f.message).toContain("version 1");
  });

  it("CRITICAL FAIL: PutParameter rewrote the value (a week of delivery silence allowed); the tag still pins infra's manifest", async () => {
    env = agentClients(moto.endpoint);
    const ssm = await env.get(SSMClient, SECURITY);
    await infraWrites(ssm, manifest());
    const weakened = parseAuditManifest({ ...manifest(), thresholds: { deliveryMaxAgeMinutes: 10_080 } });
    await ssm.send(
      new PutParameterCommand({
        Name: NAME,
        Value: encodeManifestParameter(weakened),
        Type: "String",
        Overwrite: true,
      }),
    );
    const judgedWith = await lambdaLoads(ssm);
    expect(judgedWith.thresholds.deliveryMaxAgeMinutes).toBe(10_080);
    const [f] = await judge(ssm, judgedWith);
    expect([f.status, f.severity]).toEqual(["FAIL", "CRITICAL"]);
    expect(f.message).toContain(`(${MANIFEST_DIGEST_TAG} = ${manifestDigest(manifest())}; version 2,`);
    expect(f.observed).toMatchObject({ version: 2, judgedWithSha256: manifestDigest(weakened) });
  });

  it("CRITICAL FAIL: the digest tag was removed", async () => {
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

  it("CRITICAL FAIL: no such parameter (the manifest came from a file, the parameter was never written)", async () => {
    env = agentClients(moto.endpoint);
    const ssm = await env.get(SSMClient, SECURITY);
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
