/**
 * Exemptions, through the pack as the engine runs it: `exemptions` first (it holds the list), the
 * judging policies, `exemptions-in-use` last. The clock is ORGWARDEN_POLICY_NOW, stubbed per test.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import Ajv from "ajv";
import { loadPolicyPack } from "../../harness/policy-pack";
import { PolicyConfigError, resolvePolicyConfig } from "../../harness/policy-config";
import { PolicyRunError, runPolicies } from "../../harness/policy-runner";
import { baselineStack, mutate } from "./baseline-stack";
import { PACK_DIR, programRun, Res } from "./helpers";

const pack = loadPolicyPack(PACK_DIR);
const TODAY = "2026-06-15";
const ROTATION = "set enableKeyRotation: true (symmetric keys must rotate their key material)";

/** The baseline with the log key's rotation off (a resource policy) and the archive lock in GOVERNANCE (a stack policy). */
function weakened(): Res[] {
  let s = mutate(baselineStack(), "log-key", (i) => ({ ...i, enableKeyRotation: false }));
  s = mutate(s, "archive-object-lock", (i) => ({
    ...i,
    rule: { defaultRetention: { mode: "GOVERNANCE", days: 365 } },
  }));
  return s;
}

async function run(entries: unknown[], extra: Record<string, unknown> = {}, resources = weakened()) {
  const config = resolvePolicyConfig(pack, { exemptions: { entries }, ...extra });
  const r = await runPolicies(pack, programRun(resources), config);
  return {
    lines: r.violations.map(
      (v) => `[${v.enforcementLevel}] ${v.policyName} ${v.resourceName ?? "(stack)"}: ${v.message.split("\n")[1]}`,
    ),
    notApplicable: r.notApplicable
      .filter((n) => !/^Policy only applies to/.test(n.reason ?? ""))
      .map((n) => `${n.policyName}: ${n.reason}`),
  };
}

const LOCK =
  'bucket "archive-bucket" (org-archive-123): set the default retention mode to COMPLIANCE (it is GOVERNANCE)';
const keyExemption = {
  policy: "kms-key-rotation",
  name: "log-key",
  reason: "rotation breaks the HSM import",
  expires: "2026-12-31",
};

beforeEach(() => {
  vi.stubEnv("ORGWARDEN_POLICY_NOW", TODAY);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("exemptions in the pack config", () => {
  it("without exemptions every violation is reported as before, and the two exemption policies say nothing", async () => {
    const r = await run([]);
    expect(r.lines).toEqual([
      `[mandatory] s3-archive-object-lock archive-bucket: ${LOCK}`,
      `[mandatory] kms-key-rotation log-key: ${ROTATION}`,
    ]);
    expect(r.notApplicable).toEqual([]);
  });

  it("an exemption by name lets a resource policy's violation through, listed by exemptions-in-use with reason, approver and expiry", async () => {
    const r = await run([{ ...keyExemption, approvedBy: "secops (J. Doe)" }]);
    expect(r.lines).toEqual([
      `[mandatory] s3-archive-object-lock archive-bucket: ${LOCK}`,
      `[advisory] exemptions-in-use log-key: exemption #0 (name "log-key") exempts kms-key-rotation here until 2026-12-31: "rotation breaks the HSM import" (approved by secops (J. Doe)). Not enforced: ${ROTATION}`,
    ]);
  });

  it("an exemption by URN pattern (the wildcard matcher: * any run, ? one character) works for a stack policy's violation", async () => {
    const r = await run([
      {
        policy: "s3-archive-object-lock",
        urn: "urn:pulumi:test::fixture::*::archive-bucke?",
        reason: "migration",
        expires: TODAY,
      },
    ]);
    // Expiring today still holds: `expires` is the last day.
    expect(r.lines).toEqual([
      `[mandatory] kms-key-rotation log-key: ${ROTATION}`,
      `[advisory] exemptions-in-use archive-bucket: exemption #0 (urn "urn:pulumi:test::fixture::*::archive-bucke?") exempts s3-archive-object-lock here until ${TODAY}: "migration". Not enforced: ${LOCK}`,
    ]);
  });

  it("an exemption holds only for its policy and its resources", async () => {
    const r = await run([
      { ...keyExemption, policy: "kms-key-policy-safety" },
      { ...keyExemption, name: "log-*-not-this" },
    ]);
    expect(r.lines).toEqual([
      `[mandatory] s3-archive-object-lock archive-bucket: ${LOCK}`,
      `[mandatory] kms-key-rotation log-key: ${ROTATION}`,
      '[advisory] exemptions-in-use (stack): exemption #0 (name "log-key") of policy kms-key-policy-safety (expires 2026-12-31) exempted nothing in this preview (today is 2026-06-15, from ORGWARDEN_POLICY_NOW): remove it, or correct its pattern',
      '[advisory] exemptions-in-use (stack): exemption #1 (name "log-*-not-this") of policy kms-key-rotation (expires 2026-12-31) exempted nothing in this preview (today is 2026-06-15, from ORGWARDEN_POLICY_NOW): remove it, or correct its pattern',
    ]);
  });

  it("an expired exemption exempts nothing and is itself a mandatory violation naming it and its expiry", async () => {
    const r = await run([{ ...keyExemption, expires: "2026-06-14", approvedBy: "secops" }]);
    expect(r.lines).toEqual([
      '[mandatory] exemptions (stack): exemption #0 (name "log-key") of policy kms-key-rotation expired on 2026-06-14 (today is 2026-06-15, from ORGWARDEN_POLICY_NOW) and no longer exempts anything (reason was "rotation breaks the HSM import", approved by secops): renew it with a later expires and a fresh approval, or remove it',
      `[mandatory] s3-archive-object-lock archive-bucket: ${LOCK}`,
      `[mandatory] kms-key-rotation log-key: ${ROTATION} (not exempted: exemption #0 (name "log-key") expired on 2026-06-14)`,
    ]);
  });

  it("an expired exemption that matches nothing is still reported as expired (once), not as unused", async () => {
    const r = await run([{ ...keyExemption, name: "gone", expires: "2025-01-01" }], {}, baselineStack());
    expect(r.lines).toEqual([
      '[mandatory] exemptions (stack): exemption #0 (name "gone") of policy kms-key-rotation expired on 2025-01-01 (today is 2026-06-15, from ORGWARDEN_POLICY_NOW) and no longer exempts anything (reason was "rotation breaks the HSM import"): renew it with a later expires and a fresh approval, or remove it',
    ]);
  });

  it("a current exemption wins over an expired one for the same resource", async () => {
    const r = await run([{ ...keyExemption, expires: "2026-01-01" }, keyExemption]);
    expect(r.lines.map((l) => l.split(":")[0])).toEqual([
      "[mandatory] exemptions (stack)",
      "[mandatory] s3-archive-object-lock archive-bucket",
      "[advisory] exemptions-in-use log-key",
    ]);
  });

  it("each run starts afresh: what one run exempted is not carried into the next", async () => {
    await run([keyExemption]);
    expect((await run([])).lines).toEqual([
      `[mandatory] s3-archive-object-lock archive-bucket: ${LOCK}`,
      `[mandatory] kms-key-rotation log-key: ${ROTATION}`,
    ]);
  });

  it("with the exemptions policy disabled no exemption applies, and exemptions-in-use says why it has nothing to list", async () => {
    const r = await run([keyExemption], { exemptions: { enforcementLevel: "disabled", entries: [keyExemption] } });
    expect(r.lines).toEqual([
      `[mandatory] s3-archive-object-lock archive-bucket: ${LOCK}`,
      `[mandatory] kms-key-rotation log-key: ${ROTATION}`,
    ]);
    expect(r.notApplicable).toEqual([
      "exemptions-in-use: the exemptions policy did not run (disabled?), so no exemption was loaded and none was applied",
    ]);
  });

  it("without ORGWARDEN_POLICY_NOW the clock decides (an exemption to 9999-12-31 holds)", async () => {
    vi.stubEnv("ORGWARDEN_POLICY_NOW", "");
    const r = await run([{ ...keyExemption, expires: "9999-12-31" }]);
    expect(r.lines.map((l) => l.split(":")[0])).toEqual([
      "[mandatory] s3-archive-object-lock archive-bucket",
      "[advisory] exemptions-in-use log-key",
    ]);
  });

  it("an ORGWARDEN_POLICY_NOW that is not a date fails the run, naming the variable", async () => {
    vi.stubEnv("ORGWARDEN_POLICY_NOW", "tomorrow");
    await expect(run([keyExemption])).rejects.toThrow(
      'ORGWARDEN_POLICY_NOW="tomorrow" is not an ISO date or date-time (e.g. 2026-06-30)',
    );
  });
});

describe("one preview's exemptions never reach the next", () => {
  it("a preview that failed before exemptions-in-use leaves no list in force for the next, which has no exemptions", async () => {
    vi.stubEnv("ORGWARDEN_POLICY_NOW", "tomorrow");
    await expect(run([keyExemption])).rejects.toThrow("ORGWARDEN_POLICY_NOW");
    vi.stubEnv("ORGWARDEN_POLICY_NOW", TODAY);
    // The next preview runs the judging policy alone: no exemptions policy loads a list in it.
    const only = { ...pack, policies: pack.policies.filter((p) => p.name === "kms-key-rotation") };
    const r = await runPolicies(only, programRun(weakened()), resolvePolicyConfig(only, {}));
    expect(r.violations.map((v) => `${v.policyName} ${v.resourceName}: ${v.message.split("\n")[1]}`)).toEqual([
      `kms-key-rotation log-key: ${ROTATION}`,
    ]);
  });
});

describe("exemptions are applied in one place", () => {
  it("every policy other than the two exemption policies is built by lib/define.ts, whose wrappers apply them", () => {
    const mark = Symbol.for("orgwarden.appliesExemptions");
    const built = (p: (typeof pack.policies)[number]) => {
      const fn =
        ("validateResource" in p ? p.validateResource : undefined) ??
        ("validateStack" in p ? p.validateStack : undefined);
      return (fn as unknown as Record<symbol, unknown>)[mark] === true;
    };
    expect(pack.policies.filter((p) => !built(p)).map((p) => p.name)).toEqual(["exemptions", "exemptions-in-use"]);
  });
});

describe("malformed exemptions are config errors naming the entry and the key", () => {
  const problems = (entries: unknown[]) => {
    try {
      resolvePolicyConfig(pack, { exemptions: { entries } }, "dev.json");
    } catch (e) {
      expect(e).toBeInstanceOf(PolicyConfigError);
      return (e as Error).message.split("\n");
    }
    throw new Error("no config error");
  };
  const judging = pack.policies.map((p) => p.name).filter((n) => n !== "exemptions" && n !== "exemptions-in-use");

  it("an unknown policy names the index, the key and every policy an exemption may name", () => {
    expect(problems([keyExemption, { ...keyExemption, policy: "kms-rotation" }])).toEqual([
      `dev.json: exemptions.entries[1].policy must be one of ${judging.map((n) => JSON.stringify(n)).join(", ")} (got "kms-rotation")`,
    ]);
    expect(judging).toHaveLength(24);
  });

  it("an exemption cannot exempt the exemption policies themselves", () => {
    expect(problems([{ ...keyExemption, policy: "exemptions" }])[0]).toContain('(got "exemptions")');
  });

  it("a bad date, a missing or empty reason, both or neither of urn and name, an unknown key", () => {
    expect(
      problems([
        { ...keyExemption, expires: "2026-02-30" },
        { ...keyExemption, expires: "31/12/2026" },
        { policy: "kms-key-rotation", name: "log-key", expires: "2026-12-31" },
        { ...keyExemption, reason: "  " },
        { ...keyExemption, urn: "urn:*" },
        { policy: "kms-key-rotation", reason: "r", expires: "2026-12-31" },
        { ...keyExemption, until: "2026-12-31" },
      ]),
    ).toEqual([
      'dev.json: exemptions.entries[0].expires must be an ISO date YYYY-MM-DD, the last day the exemption holds (got "2026-02-30")',
      'dev.json: exemptions.entries[1].expires must be an ISO date YYYY-MM-DD, the last day the exemption holds (got "31/12/2026")',
      "dev.json: exemptions.entries[2].reason must be of type string (got undefined undefined)",
      "dev.json: exemptions.entries[3].reason must say why the violation is accepted",
      "dev.json: exemptions.entries[4] must give exactly one of urn or name",
      "dev.json: exemptions.entries[5] must give exactly one of urn or name",
      'dev.json: exemptions.entries[6] Unrecognized key: "until"',
    ]);
  });

  it("the JSON Schema the engine validates with (draft-07) refuses what it can express: policy names, required keys, the date's shape, unknown keys", () => {
    const schema = pack.policies.find((p) => p.name === "exemptions")!.configSchema!;
    const validate = new Ajv({ allErrors: true }).compile({ type: "object", ...schema });
    const ok = (entries: unknown[]) => validate({ entries }) === true;
    expect(ok([keyExemption])).toBe(true);
    expect(ok([{ ...keyExemption, policy: "kms-rotation" }])).toBe(false);
    expect(ok([{ ...keyExemption, expires: "31/12/2026" }])).toBe(false);
    expect(ok([{ ...keyExemption, reason: "" }])).toBe(false);
    expect(ok([{ ...keyExemption, until: "2026-12-31" }])).toBe(false);
    expect(ok([{ policy: "kms-key-rotation", name: "k", expires: "2026-12-31" }])).toBe(false);
    // What it cannot express, the pack refuses itself (next test).
    expect(ok([{ ...keyExemption, urn: "urn:*" }])).toBe(true);
    expect(ok([{ ...keyExemption, expires: "2026-02-30" }])).toBe(true);
  });

  it("the pack checks the list itself too (the engine validates only the JSON Schema, which cannot say urn xor name)", async () => {
    const config = resolvePolicyConfig(pack, {});
    config.set("exemptions", {
      enforcementLevel: "mandatory",
      properties: { entries: [{ ...keyExemption, urn: "urn:*" }] },
    });
    const err = await runPolicies(pack, programRun(weakened()), config).catch((e) => e);
    expect(err).toBeInstanceOf(PolicyRunError);
    expect(err.message).toContain(
      "with policy 'exemptions' from policy pack 'guardrails@v0.1.0': invalid policy config: exemptions.entries[0]: must give exactly one of urn or name",
    );
  });

  it("the shipped dev and prod configs carry an empty list", () => {
    for (const stack of ["dev", "prod"]) {
      const raw = require(`${PACK_DIR}/config/${stack}.json`);
      expect(raw.exemptions).toEqual({ entries: [] });
      expect(resolvePolicyConfig(pack, raw).get("exemptions")!.properties).toEqual({ entries: [] });
    }
  });
});
