/**
 * The shape of one waiver, shared by the waivers file the CLI reads and the manifest's optional
 * `waivers` the nightly run reads. The agent narrows `checkId` to its registered checks (agent/waivers.ts);
 * this kernel knows no checks.
 */
import { z } from "zod";

export const waiverEntrySchema = z.strictObject({
  checkId: z.string({ error: "is required: the id of the check whose finding is waived" }).min(1),
  account: z
    .string()
    .regex(/^(\d{12}|-)$/, 'must be a 12-digit account id, or "-" (organization-wide)')
    .optional(),
  region: z.string().min(1, 'must name a region, or "global"').optional(),
  /** Matched against the finding's resourceArn with the one wildcard matcher (baseline/wildcard.ts). */
  resource: z.string().min(1, "must be a resource ARN pattern (* and ? are wildcards)").optional(),
  reason: z
    .string({ error: "is required: why the finding is accepted" })
    .min(1, "must say why the finding is accepted"),
  approvedBy: z.string({ error: "is required: who accepted it" }).min(1, "must name who accepted it"),
  expires: z.iso.date({
    error: "is required and must be an ISO date, e.g. 2027-01-31 (the last day the waiver holds)",
  }),
});

export type WaiverEntry = z.output<typeof waiverEntrySchema>;

/** A waivers file (or the manifest's `waivers`): `waivers:` entries whose checkId is one of `checkIds`. */
export function waiversFileSchema(checkIds: readonly [string, ...string[]]) {
  const entry = waiverEntrySchema.extend({
    checkId: z.enum(checkIds, { error: `must be a registered check id: ${checkIds.join(", ")}` }),
  });
  return z.strictObject({ waivers: z.array(entry).default([]) });
}

/**
 * Validates the parsed content of a waivers file against `checkIds`. Throws one Error whose message
 * is `<label>: invalid:` followed by one line per problem, each naming the entry and the key.
 */
export function checkWaiversDocument(
  raw: unknown,
  label: string,
  checkIds: readonly [string, ...string[]],
): WaiverEntry[] {
  // An empty file, or one with only comments, waives nothing.
  const r = waiversFileSchema(checkIds).safeParse(raw ?? {});
  if (r.success) return r.data.waivers;
  const problems = r.error.issues.map((i) => {
    const path = i.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
    const key = i.code === "unrecognized_keys" ? `${path}: unknown key ${i.keys.join(", ")}` : `${path}: ${i.message}`;
    return `  - ${key.replace(/^\./, "")}`;
  });
  throw new Error(`${label}: invalid:\n${problems.join("\n")}`);
}
