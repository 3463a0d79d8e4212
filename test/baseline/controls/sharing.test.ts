/**
 * One judgment, two shapes: the policy pack and the audit agent judge every shared subject through
 * the same control. The controls are recorded where each side really calls them (the pack is loaded
 * by Node's own require, as the Pulumi CLI loads it, so its copy of baseline/controls is not the one
 * this file imports), and each side's verdict on a subject is shown to come from the control alone.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterEach, describe, expect, it, type MockInstance, vi } from "vitest";
import * as agentSide from "../../../baseline/controls";
import type { Control, Verdict } from "../../../baseline/controls";
import { loadPolicyPack } from "../../../harness/policy-pack";
import { CHECKS } from "../../../agent/checks/registry";
import { cleanManifest, cleanObserved, CTX } from "../../agent/checks/fixtures";
import { baselineStack } from "../../policypacks/baseline-stack";
import { check, PACK_DIR } from "../../policypacks/helpers";
import { checkById, SUBJECTS } from "./subjects";

const pack = loadPolicyPack(PACK_DIR);
const packSide = createRequire(__filename)(join(__dirname, "../../../baseline/controls/index.ts")) as typeof agentSide;
const declared = (p: unknown) => [...(p as { controls: string[] }).controls].sort();
const POLICIES = pack.policies.map((p) => [p.name, declared(p)] as const);
const AGENT_CHECKS = CHECKS.map((c) => [c.metadata.id, [...c.metadata.controls].sort()] as const);

// Parameter types differ per control; the spies only see calls.
type Any = Control<any, any>;
function record(side: typeof agentSide, passAll?: string): { called: () => string[] } {
  const spies = side.CONTROLS.map((c: Any) => [c.meta.id, vi.spyOn(c, "judge")] as [string, MockInstance]);
  for (const [id, spy] of spies)
    if (id === passAll) spy.mockImplementation((): Verdict => ({ control: id, passed: true, gaps: [] }));
  return {
    called: () =>
      spies
        .filter(([, s]) => s.mock.calls.length > 0)
        .map(([id]) => id)
        .sort(),
  };
}

afterEach(() => vi.restoreAllMocks());

describe("which controls each side calls", () => {
  it("the pack runs on its own copy of baseline/controls (so recording it there is what proves anything)", () => {
    expect(packSide.CONTROLS.map((c) => c.meta.id)).toEqual(agentSide.CONTROLS.map((c) => c.meta.id));
    expect(packSide.CONTROLS[0]).not.toBe(agentSide.CONTROLS[0]);
  });

  it.each(POLICIES)(
    "policy %s calls exactly the controls it declares, over the baseline stack",
    async (name, controls) => {
      const r = record(packSide);
      await check(name, baselineStack());
      expect(r.called()).toEqual(controls);
    },
  );

  it.each(AGENT_CHECKS)(
    "check %s calls exactly the controls it declares, over the clean organization",
    (id, controls) => {
      const r = record(agentSide);
      checkById(CHECKS, id).evaluate(cleanObserved(), cleanManifest(), CTX);
      expect(r.called()).toEqual(controls);
    },
  );
});

describe("metadata written once", () => {
  it.each(pack.policies.filter((p) => declared(p).length > 0 && p.framework).map((p) => [p.name, p] as const))(
    "policy %s cites a CIS id of one of its controls",
    (_name, p) => {
      const ids = declared(p).flatMap((id) => agentSide.controlById(id).meta.cis.map((c) => `${c.version} ${c.id}`));
      // A range ("4.1-4.15", the CIS monitoring section) cites both its ends.
      const [first, last] = p.framework!.reference.split("-");
      expect(ids).toContain(`${p.framework!.version} ${first}`);
      if (last !== undefined) expect(ids).toContain(`${p.framework!.version} ${last}`);
    },
  );
});

describe("subjects: one control each, both sides through it", () => {
  it("every control judges one subject, and is used by at least one side", () => {
    expect(SUBJECTS.map((s) => s.control).sort()).toEqual(agentSide.CONTROLS.map((c) => c.meta.id).sort());
    for (const s of SUBJECTS) expect([s.control, s.pack.length + s.agent.length]).not.toEqual([s.control, 0]);
  });

  it.each(SUBJECTS.map((s) => [s.control, s] as const))(
    "%s: the policies and checks declaring it are exactly those of its subject",
    (control, s) => {
      expect(
        POLICIES.filter(([, c]) => c.includes(control))
          .map(([n]) => n)
          .sort(),
      ).toEqual([...new Set(s.pack.map((p) => p.policy))].sort());
      expect(
        AGENT_CHECKS.filter(([, c]) => c.includes(control))
          .map(([n]) => n)
          .sort(),
      ).toEqual([...new Set(s.agent.map((a) => a.check))].sort());
    },
  );

  const packCases = SUBJECTS.flatMap((s) => s.pack.map((p) => [s.control, p.policy, p, s.subject] as const));
  it.each(packCases)("%s decides %s: refused as it is, passed once the control passes", async (control, policy, p) => {
    expect((await check(policy, p.failing())).messages).not.toEqual([]);
    record(packSide, control);
    expect((await check(policy, p.failing())).messages).toEqual([]);
  });

  const agentCases = SUBJECTS.flatMap((s) => s.agent.map((a) => [s.control, a.check, a] as const));
  it.each(agentCases)("%s decides %s: FAIL as it is, PASS once the control passes", (control, id, a) => {
    const o = cleanObserved();
    a.spoil(o);
    const c = checkById(CHECKS, id);
    expect(c.evaluate(o, cleanManifest(), CTX).map((f) => f.status)).toContain("FAIL");
    record(agentSide, control);
    expect(new Set(c.evaluate(o, cleanManifest(), CTX).map((f) => f.status))).toEqual(new Set(["PASS"]));
  });
});
