import type { StackValidationPolicy } from "@pulumi/policy";
import type { PolicyMeta } from "../../lib/define";
import { isExpired, label, NOW_VARIABLE, takeRun, today } from "../../lib/exemptions";
import { EXEMPTIONS_POLICY } from "./exemptions";

export const EXEMPTIONS_IN_USE_POLICY = "exemptions-in-use";

/**
 * The visible side of exemptions. A mandatory policy has one channel, reportViolation at its own
 * level (@pulumi/policy has no "info" diagnostic), so an exempted violation is listed here, as an
 * advisory of this policy on the exempted resource; an exemption that exempted nothing is listed too.
 * It is the pack's last policy: every other policy has judged the stack by then.
 */
export function exemptionsInUsePolicy(): StackValidationPolicy {
  const meta: PolicyMeta = {
    name: EXEMPTIONS_IN_USE_POLICY,
    description:
      "Lists every violation an exemption let through (with its reason and expiry) and every exemption that exempted nothing.",
    severity: "low",
    remediationSteps:
      "Nothing to do for a listed exemption until it expires; remove an exemption that exempts nothing, or correct its pattern.",
    controls: [],
    enforcementLevel: "advisory",
  };
  return {
    ...meta,
    validateStack: (args, report) => {
      const run = takeRun();
      if (!run)
        return args.notApplicable(
          `the ${EXEMPTIONS_POLICY} policy did not run (disabled?), so no exemption was loaded and none was applied`,
        );
      const { date, source } = today();
      const used = new Set<number>(run.expiredMatched);
      // One line per (exemption, resource), all the messages it held back.
      const held = new Map<string, { index: number; urn: string; messages: string[] }>();
      for (const a of run.applied) {
        used.add(a.index);
        const key = `${a.index} ${a.urn}`;
        const h = held.get(key) ?? { index: a.index, urn: a.urn, messages: [] };
        h.messages.push(...a.messages);
        held.set(key, h);
      }
      for (const h of held.values()) {
        const e = run.entries[h.index];
        report(
          `${label(e, h.index)} exempts ${e.policy} here until ${e.expires}: "${e.reason}"` +
            `${e.approvedBy ? ` (approved by ${e.approvedBy})` : ""}. Not enforced: ${h.messages.join("; ")}`,
          h.urn,
        );
      }
      const now = source === NOW_VARIABLE ? ` (today is ${date}, from ${NOW_VARIABLE})` : "";
      run.entries.forEach((e, i) => {
        // An expired one is the exemptions policy's mandatory report already.
        if (used.has(i) || isExpired(e, date)) return;
        report(
          `${label(e, i)} of policy ${e.policy} (expires ${e.expires}) exempted nothing in this preview${now}: remove it, or correct its pattern`,
        );
      });
    },
  };
}
