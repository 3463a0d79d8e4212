/** Prints policy results in the form `pulumi preview` uses for a local policy pack. */
import type { PolicyResult, PolicyViolation } from "./policy-runner";
import type { LoadedPolicyPack } from "./policy-pack";
import { relative } from "node:path";

function line(v: PolicyViolation): string[] {
  const where = v.resourceType ? `  (${v.resourceType}: ${v.resourceName})` : "";
  const head = `        - [${v.enforcementLevel}]  ${v.policyName}${where}`;
  return [head, ...v.message.split("\n").map((m) => `          ${m}`)];
}

export function policyReportText(pack: LoadedPolicyPack, result: PolicyResult, cwd = process.cwd()): string {
  const failed = result.violations.some((v) => v.enforcementLevel === "mandatory");
  const mark = failed ? "❌" : result.violations.length ? "⚠️" : "✅";
  const lines = ["Policies:", `    ${mark} ${pack.name}@v${pack.version} (local: ${relative(cwd, pack.dir) || "."})`];
  // Mandatory first, as the CLI lists them.
  const sorted = [...result.violations].sort(
    (a, b) => Number(b.enforcementLevel === "mandatory") - Number(a.enforcementLevel === "mandatory"),
  );
  for (const v of sorted) lines.push(...line(v));
  // What a policy could not judge is said out loud: a silent pass on something never checked is worse than a failure.
  const unjudged = result.notApplicable.filter((n) => n.reason && !/^Policy only applies to/.test(n.reason));
  for (const n of unjudged)
    lines.push(
      `        - [not applicable]  ${n.policyName}${n.urn ? `  (${n.urn.split("::")[2]?.split("$").pop()}: ${n.urn.split("::")[3]})` : ""}`,
      `          ${n.reason}`,
    );
  const mandatory = result.violations.filter((v) => v.enforcementLevel === "mandatory").length;
  lines.push(
    "",
    `guardrails: ${result.ran.length} policies ran, ${mandatory} mandatory and ${result.violations.length - mandatory} advisory violation(s), ${unjudged.length} not applicable`,
  );
  return lines.join("\n");
}
