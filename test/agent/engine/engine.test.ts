/** The engine's three functions over moto, in-process: JSON round trip, a failed batch, one batch held at a time. */
import { beforeAll, describe, expect, it } from "vitest";
import { parseAuditManifest } from "../../../baseline";
import {
  collectBatch,
  evaluateRun,
  failedBatchState,
  openSession,
  plainJson,
  planRun,
  type BatchOutcome,
  type BatchState,
  type RunPlan,
} from "../../../agent/engine";
import { PER_BATCH_CHECKS } from "../../../agent/checks/registry";
import { seedSandboxOrganization, type Sandbox } from "../../../agent/sandbox/seed";
import { FAST_RETRY_SCALE, MOTO_CREDENTIALS, useMoto } from "../../helpers/moto";

// One sandbox for the file (GuardDuty off in member-0/eu-west-1, the FAIL the round trip looks for), and one plan and
// collection per batch size, shared by the tests that read it: they only read the states (or copies of them).
const moto = useMoto({ reset: "file" });
const RUN = "0b7e4a52-5c1d-4d63-9a57-0d1f2e3a4b5c";
let sb: Sandbox;
beforeAll(async () => {
  sb = await seedSandboxOrganization({
    endpoint: moto.endpoint,
    drifts: [{ kind: "guardduty-disabled", account: "member-0", region: "eu-west-1" }],
  });
});
const collections = new Map<number, Promise<{ plan: RunPlan; states: BatchState[] }>>();
const collected = (batchSize: number) => {
  if (!collections.has(batchSize)) collections.set(batchSize, planAndCollect(sb, batchSize));
  return collections.get(batchSize)!;
};

async function planAndCollect(sb: Sandbox, batchSize: number): Promise<{ plan: RunPlan; states: BatchState[] }> {
  const manifest = parseAuditManifest(sb.manifest);
  const session = await openSession(manifest, {
    endpointUrl: moto.endpoint,
    credentials: { ...MOTO_CREDENTIALS },
    retryDelayScale: FAST_RETRY_SCALE,
  });
  try {
    const startedAt = new Date();
    const plan = await planRun(
      manifest,
      { runId: RUN, startedAt, now: new Date(startedAt.getTime() + 60_000), batchSize },
      session.runtime,
    );
    const states: BatchState[] = [];
    for (const b of plan.batches) states.push(await collectBatch(plan, b, session.runtime));
    return { plan, states };
  } finally {
    session.close();
  }
}

const from =
  (states: BatchState[]) =>
  async (b: { index: number }): Promise<BatchOutcome> => ({ state: states.find((s) => s.index === b.index)! });

const json = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe("engine (moto)", () => {
  it("the plan and every batch state round-trip through JSON, and evaluating the parsed copies gives the same result", async () => {
    const { plan, states } = await collected(2);
    expect(plan.batches.map((b) => b.accounts)).toEqual([
      plan.shared.accounts.slice(0, 2),
      plan.shared.accounts.slice(2, 4),
      plan.shared.accounts.slice(4),
    ]);
    expect(json(plan)).toStrictEqual(plan);
    expect(json(states)).toStrictEqual(states);
    // The manifest a step reads back from plan.json parses to itself (defaults applied once).
    expect(parseAuditManifest(json(plan).manifest)).toEqual(plan.manifest);
    const finishedAt = new Date();
    const direct = await evaluateRun(plan, from(states), { finishedAt });
    const parsed = json(states);
    const viaJson = await evaluateRun(json(plan), from(parsed), { finishedAt });
    expect(viaJson).toEqual(direct);
    expect(direct.findings.some((f) => f.status === "FAIL" && f.checkId === "guardduty-enabled")).toBe(true);
  });

  it("the evaluator asks for each batch once, in order, and never holds two at a time", async () => {
    const { plan, states } = await collected(1);
    const asked: number[] = [];
    let inFlight = 0;
    let most = 0;
    const result = await evaluateRun(plan, async (b) => {
      asked.push(b.index);
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return { state: states[b.index] };
    });
    expect(asked).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(1);
    // An organization-wide finding of a per-account check comes from every batch alike: it is reported once.
    expect(
      result.findings.filter((f) => f.checkId === "trail-log-integrity").map((f) => [f.account, f.status]),
    ).toEqual([["-", "NOT_APPLICABLE"]]);
  });

  it("a batch without state is an ERROR in every per-account check for each of its accounts and regions, naming the batch and the cause; exit 3", async () => {
    const { plan, states } = await collected(2);
    const lost = plan.batches[1];
    const cause = JSON.stringify({ errorType: "Sandbox.Timeout", errorMessage: "Task timed out after 900.00 seconds" });
    const finishedAt = new Date();
    const result = await evaluateRun(
      plan,
      async (b) =>
        b.index === lost.index
          ? {
              failure: {
                where: "s3://audit-reports/x/batches/1.json",
                error: { Error: "States.TaskFailed", Cause: cause },
              },
            }
          : { state: states[b.index] },
      { finishedAt },
    );
    const whole = await evaluateRun(plan, from(states), { finishedAt });
    expect(result.exitCode).toBe(3);
    const expectedLine = `batch 1 (accounts ${lost.accounts.join(", ")}) left no usable state at s3://audit-reports/x/batches/1.json; Step Functions reported States.TaskFailed: Sandbox.Timeout: Task timed out after 900.00 seconds: its 2 accounts are ERROR in every per-account check`;
    expect(result.incomplete).toEqual([expectedLine]);

    // The role checks judge the shared roles from the plan, which a lost batch leaves as read (the sandbox manifest has no roles.perAccount).
    const ofLost = result.findings.filter(
      (f) => lost.accounts.includes(f.account) && PER_BATCH_CHECKS.has(f.checkId) && !f.checkId.startsWith("iam-role-"),
    );
    // Detection: 9 checks (the two per-VPC checks and guardduty-features among them) × 2 accounts × 2 regions; delivery
    // freshness: 1 per account × region (the sandbox names no log auditor role); forwarding rules: 3 per account × region.
    expect(ofLost).toHaveLength(9 * 2 * 2 + 2 * 2 + 3 * 2 * 2);
    expect(ofLost.every((f) => f.status === "ERROR")).toBe(true);
    expect(new Set(ofLost.map((f) => f.error?.name))).toEqual(new Set(["States.TaskFailed"]));
    expect(new Set(ofLost.map((f) => f.error?.operation))).toEqual(new Set(["collect batch 1"]));
    for (const f of ofLost) expect(f.message).toContain("batch 1 (accounts ");
    for (const f of ofLost) expect(f.message).toContain("Sandbox.Timeout: Task timed out after 900.00 seconds");
    const cells = ofLost.filter((f) => f.checkId === "guardduty-enabled").map((f) => `${f.account}/${f.region}`);
    expect(cells.sort()).toEqual(lost.accounts.flatMap((a) => plan.regions.map((r) => `${a}/${r}`)).sort());
    // Everything else is what the whole run says.
    const rest = (fs: typeof result.findings) =>
      fs.filter((f) => !(lost.accounts.includes(f.account) && PER_BATCH_CHECKS.has(f.checkId)));
    expect(rest(result.findings)).toEqual(rest(whole.findings));

    // With a log auditor role, the batch's digest chains are ERROR too, over the run's window.
    const roleArn = `arn:aws:iam::${sb.accounts.logArchive}:role/orgwarden-log-auditor`;
    const withRole = {
      ...plan,
      manifest: { ...plan.manifest, audit: { ...plan.manifest.audit, logAuditorRoleArn: roleArn } },
    };
    const failedState = failedBatchState(withRole, lost, { where: "s3://b/k", error: { Error: "States.Timeout" } });
    expect(failedState.integrity?.roleArn).toBe(roleArn);
    expect(failedState.integrity?.window).toEqual({
      from: new Date(Date.parse(plan.now) - 24 * 3_600_000).toISOString(),
      to: plan.now,
    });
    expect(failedState.integrity?.scopes.map((x) => [`${x.account}/${x.region}`, x.result.ok])).toEqual(
      lost.accounts.flatMap((a) => plan.regions.map((r) => [`${a}/${r}`, false])),
    );
    const kinds = new Set(
      failedState.detection.flatMap((d) => (d.guardDutyDetectors.ok ? [] : [d.guardDutyDetectors.error.kind])),
    );
    expect(kinds).toEqual(new Set(["timeout"]));
  });

  it("a state object of another run or batch is a failed batch, never read as this one", async () => {
    const { plan, states } = await collected(3);
    const result = await evaluateRun(plan, async (b) => ({
      state: b.index === 0 ? { ...states[0], runId: "11111111-2222-4333-8444-555555555555" } : states[b.index],
    }));
    expect(result.exitCode).toBe(3);
    expect(result.incomplete).toHaveLength(1);
    expect(result.incomplete[0]).toMatch(
      /^batch 0 \(accounts .*\) left no usable state at the state of batch 0; Step Functions reported BatchStateMismatch: the state object names run 11111111-2222-4333-8444-555555555555, plan [0-9a-f-]{36}, batch 0/,
    );
    const gd = result.findings.filter(
      (f) => f.checkId === "guardduty-enabled" && plan.batches[0].accounts.includes(f.account),
    );
    expect(gd.map((f) => f.status)).toEqual(Array(3 * 2).fill("ERROR"));
  });

  it("a batch size outside 1-500 is refused before anything is collected", async () => {
    const manifest = parseAuditManifest(sb.manifest);
    const session = await openSession(manifest, {
      endpointUrl: moto.endpoint,
      credentials: { ...MOTO_CREDENTIALS },
      retryDelayScale: FAST_RETRY_SCALE,
    });
    try {
      await expect(
        planRun(manifest, { runId: RUN, startedAt: new Date(), batchSize: 0 }, session.runtime),
      ).rejects.toThrow("batchSize must be a whole number from 1 to 500, got 0");
    } finally {
      session.close();
    }
  });
});

describe("plainJson", () => {
  it("drops undefined properties as JSON does and refuses what JSON would change, naming the path", () => {
    expect(plainJson({ a: 1, b: undefined, c: [{ d: "x", e: undefined }] })).toStrictEqual({ a: 1, c: [{ d: "x" }] });
    expect(() => plainJson({ shared: { at: new Date(0) } })).toThrow(
      "$.shared.at: a Date would not survive JSON; store a plain value (an ISO-8601 string for a time)",
    );
    expect(() => plainJson({ m: new Map() })).toThrow("$.m: a Map would not survive JSON");
    expect(() => plainJson({ n: [1, Number.NaN] })).toThrow("$.n[1]: NaN has no JSON form");
    expect(() => plainJson({ l: [undefined] })).toThrow("$.l[0]: undefined in an array would arrive as null");
    expect(() => plainJson({ f: () => 1 })).toThrow("$.f: a function has no JSON form");
  });
});
