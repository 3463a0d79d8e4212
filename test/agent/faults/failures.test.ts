/**
 * Faults the retries cannot absorb, over real HTTP (fault proxy → moto): an account whose every call
 * fails, and an endpoint that never answers. Each becomes an explicit ERROR in exactly its own
 * scope, worded by what happened, with the SDK's attempt count — and everything else is the clean run.
 */
import { describe, expect, it } from "vitest";
import { DEFAULTS } from "../../../agent/options";
import { useMoto } from "../../helpers/moto";
import { auditThroughProxy, NOW, sharedCleanRun, sorted, withStatus } from "./_harness";

const FAST = 0.02;

describe("faults over real HTTP: failures the retries cannot absorb", () => {
  // Both tests only audit: one seeded sandbox (and its default clean run) serves the file.
  const moto = useMoto({ reset: "file" });
  const cleanRun = sharedCleanRun(moto);

  it("a member account whose every call answers HTTP 500: ERROR for what is read in that account only, nothing of it PASS, exit 3; every other finding is the clean run's", async () => {
    const { sb, clean } = await cleanRun();
    const broken = sb.accounts.members[0];
    const run = await auditThroughProxy(sb, {
      seed: 3,
      now: NOW,
      rules: [{ match: { account: broken }, rates: { serverError: 1 } }],
      audit: { retryDelayScale: FAST },
    });

    expect(run.result.exitCode).toBe(3);
    const errors = withStatus(run.result.findings, "ERROR");
    // Read inside the account: the per-account × region detection checks, in both governed regions.
    const readInside = [
      "config-recorder",
      "guardduty-enabled",
      "guardduty-features",
      "securityhub-enabled",
      "inspector-enabled",
      "ssm-agent-associations",
      "config-delivery-channel",
      "event-forwarding-rules",
      // The account's one (default) VPC in each region.
      "vpc-flow-logs",
      "dns-query-log-associations",
    ];
    // One finding per cell, but one per forwarding rule (the two CIS event rules and the findings rule).
    const perCell = (c: string) => (c === "event-forwarding-rules" ? 3 : 1);
    expect(errors.map((f) => `${f.checkId} ${f.account}/${f.region}`).sort()).toEqual(
      readInside
        .flatMap((c) => sb.governedRegions.flatMap((r) => Array<string>(perCell(c)).fill(`${c} ${broken}/${r}`)))
        .sort(),
    );
    for (const f of errors) {
      expect(f.error).toMatchObject({ kind: "server-error", attempts: DEFAULTS.maxAttempts });
      expect(f.message).toMatch(
        new RegExp(
          `because AWS answered \\w+ with HTTP 500 after ${DEFAULTS.maxAttempts} attempts \\((InternalFailure|InternalServerErrorException|InternalServerException): `,
        ),
      );
      expect(f.message).toContain("the failure is on AWS's side: run the audit again later.");
    }
    // What is about the account but read elsewhere (its enrolment from Organizations, its log
    // delivery from the archive bucket) is judged as in the clean run; nothing read inside it PASSes.
    const others = (fs: typeof run.result.findings) =>
      sorted(fs.filter((f) => !(f.account === broken && readInside.includes(f.checkId))));
    expect(others(run.result.findings)).toEqual(others(clean.result.findings));
    expect(
      run.result.findings.filter((f) => f.account === broken && readInside.includes(f.checkId) && f.status !== "ERROR"),
    ).toEqual([]);
    // The proxy saw the SDK stop at its budget on the broken account's calls, and nowhere go over it.
    expect(run.stats.maxAttemptsPerInvocation).toBe(DEFAULTS.maxAttempts);
    expect(Object.keys(run.stats.failedInvocations).length).toBeGreaterThan(0);
  });

  it("an endpoint that never answers is cut off by the configured request timeout after exactly maxAttempts attempts, and reported as a timeout", async () => {
    const { sb } = await cleanRun();
    // Generous enough that no real moto answer comes near it on a busy machine; only the hung call reaches it.
    const configured = { maxAttempts: 2, requestTimeoutMs: 5_000, retryDelayScale: FAST };
    const clean = await auditThroughProxy(sb, { seed: "clean", now: NOW, audit: configured });
    const run = await auditThroughProxy(sb, {
      seed: 4,
      now: NOW,
      rules: [{ match: { service: "kms", operation: "GetKeyRotationStatus" }, rates: { hang: 1 } }],
      audit: configured,
    });

    // Every baseline key's rotation is read once: the log key and the manifest's keys.others.
    const keys = 1 + (sb.manifest.keys?.others.length ?? 0);
    const hung = run.stats.operations["kms GetKeyRotationStatus"];
    expect(hung).toEqual({
      requests: configured.maxAttempts * keys,
      invocations: keys,
      maxAttempts: configured.maxAttempts,
    });
    expect(run.stats.faults.hang).toBe(configured.maxAttempts * keys);
    const errors = withStatus(run.result.findings, "ERROR");
    expect(errors).toHaveLength(keys);
    for (const e of errors)
      expect(e).toMatchObject({
        checkId: "kms-key-state",
        error: { name: "TimeoutError", operation: "GetKeyRotationStatus", kind: "timeout", attempts: hung.maxAttempts },
      });
    expect(errors.filter((e) => e.resourceArn === sb.manifest.key.arn)).toHaveLength(1);
    expect(errors[0].message).toContain(
      `because GetKeyRotationStatus timed out after ${configured.maxAttempts} attempts (TimeoutError: `,
    );
    expect(run.result.exitCode).toBe(3);
    const rest = (fs: typeof run.result.findings) => sorted(fs.filter((f) => f.checkId !== "kms-key-state"));
    expect(rest(run.result.findings)).toEqual(rest(clean.result.findings));
    expect(run.stats.maxAttemptsPerInvocation).toBe(configured.maxAttempts);
  });
});
