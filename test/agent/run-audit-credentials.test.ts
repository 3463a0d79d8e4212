import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { runAudit } from "../../agent/run-audit";
import { runScheduledAudit } from "../../agent/lambda";
import { AuditConfigError } from "../../agent/options";
import { seedSandboxOrganization } from "../../agent/sandbox/seed";
import { validManifestInput } from "../baseline/manifest-fixture";
import { FAST_RETRIES_ENV, useMoto } from "../helpers/moto";
import { withIamEnforcement } from "./aws/_moto-auth";
import { captureTelemetry } from "../helpers/telemetry";

const moto = useMoto();
// The runs' EMF and log lines stay off the CI log.
captureTelemetry();

/** The process environment of one test: no credentials anywhere, no shared files, no instance metadata. */
const NO_CREDENTIALS: Record<string, string | undefined> = {
  AWS_ACCESS_KEY_ID: undefined,
  AWS_SECRET_ACCESS_KEY: undefined,
  AWS_SESSION_TOKEN: undefined,
  AWS_PROFILE: undefined,
  AWS_CONFIG_FILE: join(__dirname, "no-such-config"),
  AWS_SHARED_CREDENTIALS_FILE: join(__dirname, "no-such-credentials"),
  AWS_EC2_METADATA_DISABLED: "true",
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
  AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
  AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
};
const saved: Record<string, string | undefined> = {};
beforeEach(() => {
  for (const [k, v] of Object.entries(NO_CREDENTIALS)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

async function configError(run: Promise<unknown>): Promise<string> {
  const err = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AuditConfigError);
  return (err as Error).message;
}

describe("starting credentials are checked once, before any account is entered", () => {
  it("missing (no credentials anywhere): one configuration error naming the default chain and the SDK error", async () => {
    const message = await configError(runAudit({ manifest: validManifestInput(), endpointUrl: moto.endpoint }));
    expect(message).toBe(
      "starting AWS credentials missing: tried the default credential chain (environment, shared config, container/instance role); the instance role was not tried: AWS_EC2_METADATA_DISABLED=true (CredentialsProviderError: Could not load credentials from any providers)",
    );
  });

  it("missing (a profile that does not exist): the error names --profile", async () => {
    const message = await configError(
      runAudit({ manifest: validManifestInput(), endpointUrl: moto.endpoint, profile: "audit" }),
    );
    expect(message).toBe(
      "starting AWS credentials missing: tried --profile audit (CredentialsProviderError: Could not resolve credentials using profile: [audit] in configuration/credentials file(s).)",
    );
  });

  it("rejected (moto IAM enforcement, a key no IAM user has): one error naming the credentials and InvalidClientTokenId", async () => {
    const sb = await seedSandboxOrganization({ endpoint: moto.endpoint });
    const message = await withIamEnforcement(moto.endpoint, () =>
      configError(
        runAudit({
          manifest: sb.manifest,
          endpointUrl: moto.endpoint,
          credentials: { accessKeyId: "AKIAUNKNOWNUNKNOWN00", secretAccessKey: "x" },
        }),
      ),
    );
    expect(message).toBe(
      "starting AWS credentials rejected: the credentials passed to runAudit, by STS GetCallerIdentity (InvalidClientTokenId: The security token included in the request is invalid.)",
    );
  });

  it("transient (STS unreachable): not a configuration error; the run completes with ERRORs naming the network error (exit 3)", async () => {
    // Port 9 (discard) has no listener here: every call is refused at once, as in a network outage.
    const result = await runAudit({
      manifest: validManifestInput(),
      endpointUrl: "http://127.0.0.1:9",
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
      maxAttempts: 1,
    });
    expect(result.exitCode).toBe(3);
    // Every finding is the one failed GetCallerIdentity; its error's name is the collectors' business (a refused connection has no AWS name).
    // The exceptions read nothing: the manifest names no log auditor role, so integrity validation says it does not apply,
    // and no flow-log bucket, so the flow-log bucket checks say the same; nor a pipeline area, so the Config pipeline checks say it is missing; nor an athena area, so athena-catalog and athena-workgroup do; it has no logBuckets either (a manifest
    // from before them), so the log-bucket checks are ERROR asking to republish it, without reading anything; nor a stackSet area, so the stackset checks are the same ERROR; nor Resolver query logging or flow logs, so dns-query-log-config, dns-query-log-share, dns-query-log-associations and vpc-flow-logs do not apply.
    const readsNothing = (id: string) =>
      id === "trail-log-integrity" ||
      id.startsWith("flow-log-bucket-") ||
      (id.startsWith("config-") && id !== "config-recorder") ||
      id === "athena-catalog" ||
      id === "athena-workgroup" ||
      id.startsWith("log-bucket-") ||
      id.startsWith("stackset-") ||
      id === "dns-query-log-config" ||
      id === "dns-query-log-share" ||
      id === "dns-query-log-associations" ||
      id === "vpc-flow-logs" ||
      // Nor a guardDuty area: the GuardDuty organization and feature checks say it is missing (NOT_APPLICABLE).
      id === "guardduty-organization" ||
      id === "guardduty-features" ||
      // Nor keys, roles or detectionPipeline areas: the baseline's other keys' aliases, the roles and the alert
      // pipeline have nothing to read, and say so (NOT_APPLICABLE).
      id === "kms-key-alias" ||
      // Nor an auditAgent area (a manifest published before it): the agent's deployment checks do not apply.
      id.startsWith("audit-agent-") ||
      // Nor an inspector area (a manifest published before it): Inspector's organization checks say so.
      id === "inspector-organization" ||
      id === "inspector-members" ||
      id.startsWith("iam-role-") ||
      ["alert-topics", "event-bus-policy", "event-bus-rules", "event-forwarding-rules"].includes(id) ||
      // Nor an organizationSettings area (a manifest published before it): both organization checks say so.
      id === "organization-settings" ||
      id === "delegated-administrators" ||
      // Nor a securityHub area: the Security Hub organization checks say so (NOT_APPLICABLE); securityhub-enabled still reads.
      (id.startsWith("securityhub-") && id !== "securityhub-enabled");
    // None of those is a PASS: what was not read is never reported as fine.
    expect(result.findings.filter((f) => readsNothing(f.checkId) && f.status === "PASS")).toEqual([]);
    const judged = result.findings.filter((f) => !readsNothing(f.checkId));
    expect([...new Set(judged.map((f) => `${f.status}:${f.error?.operation}`))]).toEqual(["ERROR:GetCallerIdentity"]);
    expect(new Set(judged.map((f) => f.error?.name)).size).toBe(1);
    expect(result.findings.filter((f) => readsNothing(f.checkId)).map((f) => [f.checkId, f.status])).toEqual([
      ["trail-log-integrity", "NOT_APPLICABLE"],
      ["flow-log-bucket-policy", "NOT_APPLICABLE"],
      ["flow-log-bucket-encryption", "NOT_APPLICABLE"],
      ["flow-log-bucket-tls", "NOT_APPLICABLE"],
      ["config-delivery-channel", "NOT_APPLICABLE"],
      ["config-aggregator", "NOT_APPLICABLE"],
      ["athena-catalog", "NOT_APPLICABLE"],
      ["athena-workgroup", "NOT_APPLICABLE"],
      ["log-bucket-policy", "ERROR"],
      ["log-bucket-versioning", "ERROR"],
      ["log-bucket-encryption", "ERROR"],
      ["log-bucket-public-access", "ERROR"],
      ["log-bucket-ownership", "ERROR"],
      ["log-bucket-lifecycle", "ERROR"],
      ["log-bucket-access-logging", "ERROR"],
      ["kms-key-alias", "NOT_APPLICABLE"],
      // Each: the manifest lists no shared role, and it has no roles.perAccount.
      ["iam-role-trust", "NOT_APPLICABLE"],
      ["iam-role-trust", "NOT_APPLICABLE"],
      ["iam-role-permissions", "NOT_APPLICABLE"],
      ["iam-role-permissions", "NOT_APPLICABLE"],
      ["alert-topics", "NOT_APPLICABLE"],
      ["event-bus-policy", "NOT_APPLICABLE"],
      ["event-bus-rules", "NOT_APPLICABLE"],
      ["event-forwarding-rules", "NOT_APPLICABLE"],
      ["stackset-instances", "ERROR"],
      ["stackset-drift", "ERROR"],
      // No stackSet area: no schedule is intended.
      ["stackset-drift-schedule", "NOT_APPLICABLE"],
      ["dns-query-log-config", "NOT_APPLICABLE"],
      ["dns-query-log-share", "NOT_APPLICABLE"],
      ["vpc-flow-logs", "NOT_APPLICABLE"],
      ["dns-query-log-associations", "NOT_APPLICABLE"],
      ["guardduty-organization", "NOT_APPLICABLE"],
      ["guardduty-features", "NOT_APPLICABLE"],
      ["organization-settings", "NOT_APPLICABLE"],
      ["delegated-administrators", "NOT_APPLICABLE"],
      ["audit-agent-schedule", "NOT_APPLICABLE"],
      ["audit-agent-alarms", "NOT_APPLICABLE"],
      ["audit-agent-log-groups", "NOT_APPLICABLE"],
      ["inspector-organization", "NOT_APPLICABLE"],
      ["inspector-members", "NOT_APPLICABLE"],
      // No securityHub area: no Security Hub organization setup is intended (a manifest published before it).
      ["securityhub-admin-account", "NOT_APPLICABLE"],
      ["securityhub-organization", "NOT_APPLICABLE"],
      ["securityhub-configuration-policy", "NOT_APPLICABLE"],
      ["securityhub-standards", "NOT_APPLICABLE"],
      ["securityhub-finding-aggregator", "NOT_APPLICABLE"],
    ]);
    expect(result.findings.find((f) => f.checkId === "log-bucket-lifecycle")!.message).toMatch(
      /not evaluated, because the audit manifest has no logBuckets section .* Run `pulumi up` on the stack to republish the manifest\.$/,
    );
  });

  it("the Lambda fails its invocation with the same message, naming its execution role", async () => {
    const message = await configError(
      runScheduledAudit({
        ORGWARDEN_MANIFEST_PARAMETER: "/orgwarden/audit-manifest",
        ORGWARDEN_ENDPOINT_URL: moto.endpoint,
        ...FAST_RETRIES_ENV,
        AWS_REGION: "us-east-1",
      }),
    );
    expect(message).toBe(
      "starting AWS credentials missing: tried the Lambda function's execution role (AWS_ACCESS_KEY_ID/AWS_SESSION_TOKEN set by the Lambda runtime) (CredentialsProviderError: Could not load credentials from any providers)",
    );
  });
});
