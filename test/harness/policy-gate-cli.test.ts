import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProcess } from "../helpers/run";

const ROOT = join(__dirname, "../..");
const guarded = join(__dirname, "fixtures/guarded");
const tattle = join(__dirname, "fixtures/tattle-pack");

async function preview(args: string[], env: Record<string, string> = {}) {
  const r = await runProcess(
    join(ROOT, "node_modules/.bin/tsx"),
    ["scripts/preview-offline.ts", "--program", guarded, "--stack", "dev", ...args],
    { cwd: ROOT, env: { ...process.env, ...env } },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const ROTATION = [
  "          Checks that symmetric KMS keys have automatic key rotation on, at most every configured number of days.",
  "          set enableKeyRotation: true (symmetric keys must rotate their key material)",
];
const SSH = [
  "          Checks that security groups do not open remote administration ports (22, 3389) to 0.0.0.0/0 or ::/0.",
  "          remove the ingress that opens port 22 to the world (0.0.0.0/0 or ::/0); allow only known CIDRs or use SSM Session Manager",
];

describe("npm run preview:offline evaluates the guardrails on any program (own process)", () => {
  it("mandatory violations print as pulumi preview prints them and exit 3", async () => {
    const r = await preview([]);
    expect(r.status).toBe(3);
    const policies = r.stdout.slice(r.stdout.indexOf("Policies:"));
    expect(policies.split("\n")).toEqual([
      "Policies:",
      "    ❌ guardrails@v0.1.0 (local: policypacks/guardrails)",
      "        - [mandatory]  kms-key-rotation  (aws:kms/key:Key: app-key)",
      ...ROTATION,
      "        - [mandatory]  ec2-no-admin-ports-open  (aws:ec2/securityGroup:SecurityGroup: bastion)",
      ...SSH,
      "        - [not applicable]  config-recorder-all-resources",
      "          the stack manages no Config recorder: no aws.cfg.Recorder and no AWS::Config::ConfigurationRecorder in a CloudFormation Stack or StackSet template",
      "        - [not applicable]  detection-services-organization",
      "          the stack manages neither the AWS Organization nor any GuardDuty, Security Hub or Inspector resource",
      "        - [not applicable]  cis-metric-filters-alarms",
      "          the stack has no CloudTrail trail, so there is no trail log group to monitor",
      "        - [not applicable]  scp-protects-cloudtrail",
      "          the stack manages neither the AWS Organization nor any SCP",
      "",
      "guardrails: 26 policies ran, 2 mandatory and 0 advisory violation(s), 4 not applicable",
      "",
    ]);
  });
  it("advisory violations are printed and exit 0", async () => {
    const r = await preview(["--policy-config", join(guarded, "advisory.json")]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      ["        - [advisory]  kms-key-rotation  (aws:kms/key:Key: app-key)", ...ROTATION].join("\n"),
    );
    expect(r.stdout).toContain(
      "guardrails: 26 policies ran, 0 mandatory and 2 advisory violation(s), 4 not applicable",
    );
  });
  it("a level from the config file wins per policy", async () => {
    const r = await preview(["--policy-config", join(guarded, "mandatory.json"), "--json"]);
    expect(r.status).toBe(3);
    const out = JSON.parse(r.stdout);
    expect(out.violations.map((v: any) => [v.policyName, v.enforcementLevel, v.resourceName])).toEqual([
      ["kms-key-rotation", "mandatory", "app-key"],
      ["ec2-no-admin-ports-open", "advisory", "bastion"],
    ]);
    expect(out.plan.map((p: any) => p.name)).toEqual(["app-key", "bastion"]);
    expect(out.policyPack).toEqual({
      name: "guardrails",
      version: "0.1.0",
      dir: join(ROOT, "policypacks/guardrails"),
      config: join(guarded, "mandatory.json"),
    });
  });
  it("an invalid policy config is a usage error naming the key (exit 2)", async () => {
    const r = await preview(["--policy-config", join(guarded, "invalid.json")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `${join(guarded, "invalid.json")}: kms-key-rotation.maxRotationPeriodDays must be >= 90 (got 10)`,
    );
  });
  it("--no-policies prints the plan only, and --json keeps violations null", async () => {
    const r = await preview(["--no-policies", "--json"]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.violations).toBeNull();
    expect(out.plan).toHaveLength(2);
  });
});

describe("enforcement levels with another pack (--policy-pack)", () => {
  it("disabled policies never run; mandatory ones do and fail the gate", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tattle-"));
    const ranFile = join(dir, "ran.txt");
    const off = await preview(["--policy-pack", tattle, "--policy-config", join(guarded, "disabled.json")], {
      TATTLE_FILE: ranFile,
    });
    expect(off.status).toBe(0);
    expect(existsSync(ranFile)).toBe(false);
    expect(off.stdout).toContain("    ✅ tattle@v2.3.4 (local: test/harness/fixtures/tattle-pack)");
    const on = await preview(["--policy-pack", tattle], { TATTLE_FILE: ranFile });
    expect(on.status).toBe(3);
    expect(readFileSync(ranFile, "utf8").split("\n").filter(Boolean).sort()).toEqual([
      "always-violates",
      "always-violates",
      "reads-unknowns-carelessly",
      "reads-unknowns-carelessly",
    ]);
    expect(on.stdout).toContain(
      "        - [mandatory]  always-violates  (aws:kms/key:Key: app-key)\n          Checks nothing; always reports.\n          resource app-key is here",
    );
  });
});
