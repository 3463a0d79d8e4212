import type { PolicyConfigSchema, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { PolicyMeta } from "../../lib/define";
import { withDefaults } from "../../lib/define";
import { policyConfig, z, zodOfConfigSchema } from "../../lib/config-schema";
import {
  Exemption,
  exemptionEntrySchema,
  isExpired,
  label,
  loadExemptions,
  NOW_VARIABLE,
  today,
} from "../../lib/exemptions";

export const EXEMPTIONS_POLICY = "exemptions";

/** Reads and validates the list; the engine checked the JSON Schema, this also checks what it cannot say (urn xor name, real dates). */
function entries(schema: PolicyConfigSchema, given: object): Exemption[] {
  const r = zodOfConfigSchema(schema).safeParse(withDefaults(schema, given));
  if (r.success) return (r.data as { entries: Exemption[] }).entries;
  const at = (path: PropertyKey[]) =>
    EXEMPTIONS_POLICY + path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
  throw new Error(`invalid policy config: ${r.error.issues.map((i) => `${at(i.path)}: ${i.message}`).join("; ")}`);
}

/**
 * The pack's exemption list, and the mandatory report of every expired exemption. It is both a
 * resource policy and a stack policy: on each resource it loads the list (it is the pack's first
 * policy, so every other policy judging that resource sees it); on the stack it reports expiry.
 */
export function exemptionsPolicy(
  policies: readonly [string, ...string[]],
): ResourceValidationPolicy & Pick<StackValidationPolicy, "validateStack"> {
  const configSchema = policyConfig({
    entries: z
      .array(exemptionEntrySchema(policies))
      .default([])
      .describe(
        "Per-resource exemptions: { policy, urn | name (a pattern), reason, expires (YYYY-MM-DD, last day), approvedBy? }.",
      ),
  });
  const meta: PolicyMeta = {
    name: EXEMPTIONS_POLICY,
    description:
      "Checks that no exemption in the pack config has expired (and holds the exemptions every policy of the pack applies).",
    severity: "high",
    remediationSteps:
      "Renew an expired exemption with a new expires date and a fresh approval, or remove it and fix the violation it covered.",
    controls: [],
    enforcementLevel: "mandatory",
    configSchema,
  };
  return {
    ...meta,
    validateResource: (args) => {
      loadExemptions(entries(configSchema, args.getConfig()));
    },
    validateStack: (args, report) => {
      const list = entries(configSchema, args.getConfig());
      loadExemptions(list);
      const { date, source } = today();
      const now = source === NOW_VARIABLE ? `${date}, from ${NOW_VARIABLE}` : date;
      list.forEach((e, i) => {
        if (!isExpired(e, date)) return;
        report(
          `${label(e, i)} of policy ${e.policy} expired on ${e.expires} (today is ${now}) and no longer exempts anything` +
            ` (reason was "${e.reason}"${e.approvedBy ? `, approved by ${e.approvedBy}` : ""}):` +
            " renew it with a later expires and a fresh approval, or remove it",
        );
      });
    },
  };
}
