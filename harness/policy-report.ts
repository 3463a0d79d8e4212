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
  const sorted = [...result.violations].sort((a, b) => Number(b.enforcementLevel === "mandatory") - Number(a.enforcementLevel === "mandatory"));
  for (const v of sorted) lines.push(...line(v));
  const mandatory = result.violations.filter((v) => v.enforcementLevel === "mandatory").length;
  lines.push("", `guardrails: ${result.ran.length} policies ran, ${mandatory} mandatory and ${result.violations.length - mandatory} advisory violation(s)`);
  return lines.join("\n");
}
