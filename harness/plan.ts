/** Renders a captured program run as a plan grouped by provider (i.e. by account and region). */
import type { CapturedResource, ProgramRun } from "./run-program";

export interface PlannedResource {
  urn: string;
  type: string;
  name: string;
  /** URN of the explicit provider, or null for the engine's default provider. */
  provider: string | null;
  inputs: Record<string, unknown>;
}

export function planJson(run: ProgramRun): PlannedResource[] {
  return run.resources.map((r) => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    provider: r.provider ?? null,
    inputs: r.inputs,
  }));
}

function parseMaybeJson(v: unknown): unknown {
  if (typeof v === "string" && /^[[{]/.test(v)) {
    try {
      return JSON.parse(v);
    } catch {
      return v; // not JSON after all: show it as written
    }
  }
  return v;
}

export function providerLabel(p: CapturedResource): string {
  const allowed = parseMaybeJson(p.inputs.allowedAccountIds) as string[] | undefined;
  const roles = parseMaybeJson(p.inputs.assumeRoles) as { roleArn?: string }[] | undefined;
  const account = allowed?.[0] ?? roles?.[0]?.roleArn?.split(":")[4] ?? "account of the ambient credentials";
  return `${p.name}: account ${account}, region ${p.inputs.region ?? "(provider default)"}`;
}

/** One line per input: scalars as written, policy documents summarised, objects as compact JSON. */
function summarise(value: unknown): string {
  const v = parseMaybeJson(value);
  if (v && typeof v === "object" && !Array.isArray(v) && "Statement" in (v as object)) {
    const st = (v as { Statement: { Sid?: string }[] }).Statement;
    return `policy document: ${st.length} statement(s) [${st.map((s) => s.Sid ?? "-").join(", ")}]`;
  }
  const text = typeof v === "string" ? v : JSON.stringify(v);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

const HIDDEN_INPUTS = new Set(["__defaults", "tagsAll"]);

export function planText(run: ProgramRun): string {
  const providers = new Map(run.resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((p) => [p.urn, p]));
  const groups = new Map<string, CapturedResource[]>();
  for (const r of run.resources) {
    if (!r.custom || r.type.startsWith("pulumi:providers:")) continue;
    const key = r.provider ?? "";
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const lines: string[] = [
    `Plan for ${run.project}/${run.stack}: ${[...groups.values()].reduce((n, g) => n + g.length, 0)} resources`,
  ];
  for (const [prov, list] of groups) {
    const p = providers.get(prov);
    lines.push("", `== ${p ? providerLabel(p) : "default provider"} (${list.length})`);
    for (const r of list) {
      const flags = [r.protect ? "protect" : "", r.importId ? `import ${r.importId}` : ""].filter(Boolean).join(", ");
      lines.push(`  + ${r.type}  ${r.name}${flags ? `  [${flags}]` : ""}`);
      for (const [k, v] of Object.entries(r.inputs)) {
        if (HIDDEN_INPUTS.has(k) || v === undefined) continue;
        lines.push(`      ${k}: ${summarise(v)}`);
      }
    }
  }
  return lines.join("\n");
}
