/**
 * The in-process analyzer: runs every policy of a pack over a captured program run the way the
 * Pulumi engine and @pulumi/policy 1.21's analyzer server do during `pulumi preview` —
 * validateResource once per resource with its inputs, validateStack once with every resource's
 * outputs — honouring enforcement levels (disabled policies never run; remediate reports as
 * mandatory) and turning an UnknownValueError into the same advisory "can't run policy" diagnostic.
 */
import type { EnforcementLevel, ReportViolation, Severity } from "@pulumi/policy";
import { UnknownValueError } from "@pulumi/policy";
import type { CapturedResource, ProgramRun } from "./run-program";
import type { LoadedPolicyPack } from "./policy-pack";
import type { ResolvedPolicyConfig } from "./policy-config";
import { ArgsContext, NotApplicable, resourceArgs, stackResources } from "./policy-args";

export interface PolicyViolation {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  enforcementLevel: Exclude<EnforcementLevel, "disabled" | "remediate">;
  severity?: Severity;
  description: string;
  /** The message as the engine stores it: the description, a newline, then what the policy reported. */
  message: string;
  urn?: string;
  resourceType?: string;
  resourceName?: string;
}

export interface PolicyNotApplicable {
  policyName: string;
  urn?: string;
  reason?: string;
}

export interface PolicyResult {
  violations: PolicyViolation[];
  notApplicable: PolicyNotApplicable[];
  /** Policies that ran (not disabled). */
  ran: string[];
}

export class PolicyRunError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = "PolicyRunError";
  }
}

export interface RunPoliciesOptions {
  /** Extra values to make unknown, by resource name or URN → dotted property paths. */
  unknowns?: Record<string, string[]>;
  stackTags?: Record<string, string>;
}

function typeAndName(urn: string | undefined): { resourceType?: string; resourceName?: string } {
  if (!urn) return {};
  const parts = urn.split("::");
  const type = parts[2]?.split("$").pop();
  return { resourceType: type, resourceName: parts[3] };
}

export async function runPolicies(
  pack: LoadedPolicyPack,
  run: ProgramRun,
  config: Map<string, ResolvedPolicyConfig>,
  opts: RunPoliciesOptions = {},
): Promise<PolicyResult> {
  // A preview starts in a fresh analyzer process; a pack that keeps per-preview state lets this one forget it.
  const begin = (globalThis as Record<symbol, unknown>)[Symbol.for("orgwarden.policyPack.beginPreview")];
  if (begin instanceof Set) for (const f of begin) (f as () => void)();
  const result: PolicyResult = { violations: [], notApplicable: [], ran: [] };
  const providers = new Map(run.resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((p) => [p.urn, p]));
  const stackTags = new Map(Object.entries(opts.stackTags ?? {}));
  for (const p of pack.policies) {
    const c = config.get(p.name);
    let level = c?.enforcementLevel ?? p.enforcementLevel ?? pack.enforcementLevel;
    if (level === "disabled") continue;
    if (level === "remediate") level = "mandatory";
    result.ran.push(p.name);
    const ctx: ArgsContext = {
      stackTags,
      providers,
      unknowns: opts.unknowns,
      getConfig: () => ({ ...(c?.properties ?? {}) }),
    };
    const report =
      (urnOf: (urn?: string) => string | undefined): ReportViolation =>
      (message: string, urn?: string) => {
        const at = urnOf(urn);
        result.violations.push({
          policyName: p.name,
          policyPackName: pack.name,
          policyPackVersion: pack.version,
          enforcementLevel: level as PolicyViolation["enforcementLevel"],
          severity: p.severity,
          description: p.description,
          message: message ? `${p.description}\n${message}` : p.description,
          urn: at,
          ...typeAndName(at),
        });
      };
    const guard = async (urn: string | undefined, fn: () => unknown) => {
      try {
        await fn();
      } catch (e) {
        if (e instanceof UnknownValueError) {
          result.violations.push({
            policyName: p.name,
            policyPackName: pack.name,
            policyPackVersion: pack.version,
            enforcementLevel: "advisory",
            severity: p.severity,
            description: p.description,
            message: `can't run policy '${p.name}' from policy pack '${pack.name}@v${pack.version}' during preview: ${(e as Error).message}`,
            urn,
            ...typeAndName(urn),
          });
        } else if (e instanceof NotApplicable) {
          result.notApplicable.push({ policyName: p.name, urn, reason: e.reason });
        } else {
          throw new PolicyRunError(
            `Error validating ${urn ? `resource ${urn}` : "stack"} with policy '${p.name}' from policy pack '${pack.name}@v${pack.version}': ${(e as Error)?.message ?? e}`,
            e,
          );
        }
      }
    };
    if ("validateResource" in p && p.validateResource) {
      const validations = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
      const onlyType = validations.length === 1 ? (validations[0] as any).__pulumiType : undefined;
      for (const r of run.resources) {
        if (onlyType && r.type !== onlyType) continue;
        for (const v of validations)
          await guard(r.urn, () =>
            v(
              resourceArgs(r, ctx),
              report(() => r.urn),
            ),
          );
      }
    }
    if ("validateStack" in p && typeof p.validateStack === "function") {
      const onlyType = (p.validateStack as any).__pulumiType;
      if (onlyType && !run.resources.some((r: CapturedResource) => r.type === onlyType)) continue;
      // A run that carries property dependencies itself (built by hand, or a future run-program) wins over the capture.
      const resources = stackResources(run.resources, ctx);
      const args = {
        resources,
        stackTags,
        getConfig: ctx.getConfig as any,
        notApplicable: (reason?: string): never => {
          throw new NotApplicable(reason);
        },
      };
      await guard(undefined, () =>
        p.validateStack(
          args,
          report((urn) => urn),
        ),
      );
    }
  }
  return result;
}

export function hasMandatory(result: PolicyResult): boolean {
  return result.violations.some((v) => v.enforcementLevel === "mandatory");
}
