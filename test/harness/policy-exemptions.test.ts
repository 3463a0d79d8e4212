/**
 * Exemptions end to end, in their own processes: the offline preview gate (`npm run
 * preview:offline`) with a dev.json-like config file, and the pack under Pulumi's own policy-pack
 * runner and gRPC analyzer, where the `exemptions` policy must hold the list for the policies after
 * it. The date is fixed through ORGWARDEN_POLICY_NOW, so nothing here depends on the day it runs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProcess } from "../helpers/run";
import { loadPolicyPack } from "../../harness/policy-pack";
import { resolvePolicyConfig } from "../../harness/policy-config";
import { runPolicies } from "../../harness/policy-runner";
import { programRun, res } from "../policypacks/helpers";
import {
  analyzeRequest,
  analyzeStackRequest,
  call,
  configureRequest,
  diagnostics,
  RealAnalyzer,
  startRealAnalyzer,
} from "./real-analyzer";

const ROOT = join(__dirname, "../..");
const PACK = join(ROOT, "policypacks/guardrails");
const guarded = join(__dirname, "fixtures/guarded");
const TODAY = "2026-06-15";

const EXEMPTIONS = [
  {
    policy: "kms-key-rotation",
    name: "app-key",
    reason: "imported key material cannot rotate",
    expires: "2026-09-30",
    approvedBy: "secops",
  },
  {
    policy: "ec2-no-admin-ports-open",
    urn: "urn:pulumi:dev::guarded::*aws:ec2/securityGroup:SecurityGroup::bast*",
    reason: "bastion until the SSM migration",
    expires: "2026-06-30",
  },
];

/** config/dev.json with the exemptions filled in, written where the preview can read it. */
function devLikeConfig(entries: unknown[]): string {
  const dev = JSON.parse(readFileSync(join(PACK, "config/dev.json"), "utf8"));
  const file = join(mkdtempSync(join(tmpdir(), "exemptions-")), "dev.json");
  writeFileSync(file, JSON.stringify({ ...dev, exemptions: { entries } }, null, 2));
  return file;
}

async function preview(configFile: string, now: string) {
  const r = await runProcess(
    join(ROOT, "node_modules/.bin/tsx"),
    ["scripts/preview-offline.ts", "--program", guarded, "--stack", "dev", "--policy-config", configFile],
    { cwd: ROOT, env: { ...process.env, ORGWARDEN_POLICY_NOW: now } },
  );
  return { status: r.status, lines: r.stdout.slice(r.stdout.indexOf("Policies:")).split("\n"), stderr: r.stderr };
}

describe("npm run preview:offline with exemptions in a dev.json-like config (own process)", () => {
  it("current exemptions let the violating preview pass, each listed with its reason and expiry", async () => {
    const r = await preview(devLikeConfig(EXEMPTIONS), TODAY);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.lines).toEqual([
      "Policies:",
      "    ⚠️ guardrails@v0.1.0 (local: policypacks/guardrails)",
      "        - [advisory]  exemptions-in-use  (aws:kms/key:Key: app-key)",
      "          Lists every violation an exemption let through (with its reason and expiry) and every exemption that exempted nothing.",
      '          exemption #0 (name "app-key") exempts kms-key-rotation here until 2026-09-30: "imported key material cannot rotate" (approved by secops). Not enforced: set enableKeyRotation: true (symmetric keys must rotate their key material)',
      "        - [advisory]  exemptions-in-use  (aws:ec2/securityGroup:SecurityGroup: bastion)",
      "          Lists every violation an exemption let through (with its reason and expiry) and every exemption that exempted nothing.",
      '          exemption #1 (urn "urn:pulumi:dev::guarded::*aws:ec2/securityGroup:SecurityGroup::bast*") exempts ec2-no-admin-ports-open here until 2026-06-30: "bastion until the SSM migration". Not enforced: remove the ingress that opens port 22 to the world (0.0.0.0/0 or ::/0); allow only known CIDRs or use SSM Session Manager',
      "        - [not applicable]  config-recorder-all-resources",
      "          the stack manages no Config recorder: no aws.cfg.Recorder and no AWS::Config::ConfigurationRecorder in a CloudFormation Stack or StackSet template",
      "        - [not applicable]  detection-services-organization",
      "          the stack manages neither the AWS Organization nor any GuardDuty, Security Hub or Inspector resource",
      "        - [not applicable]  cis-metric-filters-alarms",
      "          the stack has no CloudTrail trail, so there is no trail log group to monitor",
      "        - [not applicable]  scp-protects-cloudtrail",
      "          the stack manages neither the AWS Organization nor any SCP",
      "",
      "guardrails: 26 policies ran, 0 mandatory and 2 advisory violation(s), 4 not applicable",
      "",
    ]);
  });

  it("once an exemption has expired the preview fails: the expiry itself and the violation it no longer covers", async () => {
    const r = await preview(devLikeConfig(EXEMPTIONS), "2026-07-01");
    expect(r.status).toBe(3);
    expect(r.lines.filter((l) => l.startsWith("        - [") || l.startsWith("guardrails:"))).toEqual([
      "        - [mandatory]  exemptions",
      "        - [mandatory]  ec2-no-admin-ports-open  (aws:ec2/securityGroup:SecurityGroup: bastion)",
      "        - [advisory]  exemptions-in-use  (aws:kms/key:Key: app-key)",
      "        - [not applicable]  config-recorder-all-resources",
      "        - [not applicable]  detection-services-organization",
      "        - [not applicable]  cis-metric-filters-alarms",
      "        - [not applicable]  scp-protects-cloudtrail",
      "guardrails: 26 policies ran, 2 mandatory and 1 advisory violation(s), 4 not applicable",
    ]);
    expect(r.lines).toContain(
      '          exemption #1 (urn "urn:pulumi:dev::guarded::*aws:ec2/securityGroup:SecurityGroup::bast*") of policy ec2-no-admin-ports-open expired on 2026-06-30 (today is 2026-07-01, from ORGWARDEN_POLICY_NOW) and no longer exempts anything (reason was "bastion until the SSM migration"): renew it with a later expires and a fresh approval, or remove it',
    );
  });

  it("a malformed exemption is a usage error naming the entry, the key and the allowed policies (exit 2)", async () => {
    const file = devLikeConfig([{ ...EXEMPTIONS[0], policy: "kms-rotation" }]);
    const r = await preview(file, TODAY);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `${file}: exemptions.entries[0].policy must be one of "cloudtrail-multi-region-logging", `,
    );
    expect(r.stderr).toContain(`(got "kms-rotation")`);
    for (const name of ["ec2-no-admin-ports-open", "s3-flow-log-bucket", "protect-critical-resources"])
      expect(r.stderr).toContain(`"${name}"`);
  });
});

describe("exemptions under Pulumi's own policy-pack runner and gRPC analyzer", () => {
  let real: RealAnalyzer;
  const before = process.env.ORGWARDEN_POLICY_NOW;
  beforeAll(async () => {
    // The runner inherits this process's environment.
    process.env.ORGWARDEN_POLICY_NOW = "2026-07-01";
    real = await startRealAnalyzer(PACK);
  });
  afterAll(() => {
    real?.close();
    if (before === undefined) delete process.env.ORGWARDEN_POLICY_NOW;
    else process.env.ORGWARDEN_POLICY_NOW = before;
  });

  it("the exemptions policy holds the list for the policies after it; expired and current ones reach the same verdicts as in-process", async () => {
    const key = {
      ...res("aws:kms/key:Key", "app-key", { description: "app", enableKeyRotation: false }),
      urn: "urn:pulumi:dev::guarded::aws:kms/key:Key::app-key",
    };
    const sg = {
      ...res("aws:ec2/securityGroup:SecurityGroup", "bastion", {
        description: "bastion",
        ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }],
      }),
      urn: "urn:pulumi:dev::guarded::aws:ec2/securityGroup:SecurityGroup::bastion",
    };
    const resources = [key, sg];
    const pack = loadPolicyPack(PACK);
    const config = resolvePolicyConfig(pack, { exemptions: { entries: EXEMPTIONS } });
    await call(real.client, "configure", configureRequest(config));
    const got = [];
    for (const r of resources) {
      const ds = diagnostics(
        await call(
          real.client,
          "analyze",
          analyzeRequest({ type: r.type, urn: r.urn, name: r.name, props: r.inputs, protect: r.protect }),
        ),
      );
      got.push(...ds.map((d) => ({ ...d, urn: d.urn || r.urn })));
    }
    const stack = analyzeStackRequest(
      resources.map((r) => ({
        type: r.type,
        urn: r.urn,
        name: r.name,
        props: r.outputs,
        protect: r.protect,
        dependencies: [],
        propertyDependencies: {},
      })),
    );
    got.push(...diagnostics(await call(real.client, "analyzeStack", stack)));

    process.env.ORGWARDEN_POLICY_NOW = "2026-07-01";
    const mine = await runPolicies(pack, programRun(resources), config);
    const norm = (d: { policyName: string; urn?: string; level: string; message: string }) =>
      `${d.level} ${d.policyName} ${d.urn ?? ""} ${d.message}`;
    expect(got.map(norm).sort()).toEqual(mine.violations.map((v) => norm({ ...v, level: v.enforcementLevel })).sort());
    expect(got.map((d) => `${d.level} ${d.policyName} ${d.urn.split("::").pop()}`).sort()).toEqual([
      "advisory exemptions-in-use app-key",
      "mandatory ec2-no-admin-ports-open bastion",
      "mandatory exemptions ",
    ]);
  });
});
