/** Rules for KMS keys (CIS 3.6 in v3.0.0: rotation; key policy safety per the baseline). */
import { asList, asRecord, containsUnknown, isUnknown, parseDocument, ResourceVerdict, setting } from "./values";
import { kmsKeyRotation } from "../controls";
import { flagFact, numberFact, stringFact } from "./facts";

type Props = Record<string, unknown>;

export const KEY_TYPE = "aws:kms/key:Key";

export interface RotationConfig {
  maxRotationPeriodDays: number;
}

/** Policy 11: symmetric encryption keys rotate, at most every maxRotationPeriodDays. */
export function keyRotation(props: Props, cfg: RotationConfig): ResourceVerdict {
  const g = kmsKeyRotation.judge(
    {
      keySpec: stringFact(props.customerMasterKeySpec),
      keyUsage: stringFact(props.keyUsage),
      rotationEnabled: flagFact(props.enableKeyRotation),
      rotationPeriodDays: numberFact(props.rotationPeriodInDays),
    },
    cfg,
  ).gaps[0];
  if (!g) return { violations: [] };
  const unknown = g.found.kind === "unknown";
  if (g.field === "keySpec") return { violations: [setting("customerMasterKeySpec/keyUsage")] };
  if (g.field === "rotationEnabled")
    return {
      violations: [
        unknown
          ? setting("enableKeyRotation")
          : "set enableKeyRotation: true (symmetric keys must rotate their key material)",
      ],
    };
  return {
    violations: [
      unknown
        ? setting("rotationPeriodInDays")
        : `lower rotationPeriodInDays to at most ${cfg.maxRotationPeriodDays} (it is ${String(props.rotationPeriodInDays)})`,
    ],
  };
}

export interface KeyPolicyConfig {
  minDeletionWindowDays: number;
}

/** A statement that allows everyone with no condition: anybody in any account may use the key. */
function openStatements(doc: Record<string, unknown>): string[] {
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return statements
    .map((s, i) => ({ s: asRecord(s) ?? {}, i }))
    .filter(({ s }) => {
      if (s.Effect !== "Allow") return false;
      const p = s.Principal;
      // NotPrincipal on an Allow grants everybody but the named principals.
      const star = p === "*" || asList([asRecord(p)?.AWS].flat()).includes("*") || s.NotPrincipal !== undefined;
      const cond = asRecord(s.Condition);
      return star && (!cond || Object.keys(cond).length === 0);
    })
    .map(({ s, i }) => (typeof s.Sid === "string" && s.Sid ? `"${s.Sid}"` : `#${i + 1}`));
}

/** Policy 12. KMS applies a 30-day window when deletionWindowInDays is unset. */
export function keyPolicySafety(props: Props, cfg: KeyPolicyConfig): ResourceVerdict {
  const out: string[] = [];
  const bypass = props.bypassPolicyLockoutSafetyCheck;
  if (isUnknown(bypass)) out.push(setting("bypassPolicyLockoutSafetyCheck"));
  else if (bypass === true)
    out.push("remove bypassPolicyLockoutSafetyCheck: true; it lets a policy lock every administrator out of the key");
  const window = props.deletionWindowInDays;
  if (isUnknown(window)) out.push(setting("deletionWindowInDays"));
  else {
    const days = typeof window === "number" ? window : 30;
    if (days < cfg.minDeletionWindowDays)
      out.push(`raise deletionWindowInDays to at least ${cfg.minDeletionWindowDays} (it is ${days})`);
  }
  const policy = props.policy;
  if (policy === undefined || policy === null || policy === "") return { violations: out };
  if (containsUnknown(policy))
    return {
      violations: out,
      notApplicable: "the key policy is unknown at preview; its principals are checked at update",
    };
  const { doc, error } = parseDocument(policy);
  if (!doc) out.push(`the key policy ${error}`);
  else {
    const open = openStatements(doc);
    if (open.length)
      out.push(
        `key policy statement ${open.join(", ")} allows Principal "*" (or uses NotPrincipal) without a condition; name the principals or add a condition that narrows them`,
      );
  }
  return { violations: out };
}
