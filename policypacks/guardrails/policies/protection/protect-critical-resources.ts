import { PROTECTED_TYPES_DEFAULT, protectedResource } from "../../../../baseline/rules";
import { resourcePolicy } from "../../lib/define";
import { policyConfig, z } from "../../lib/config-schema";
import { entryType, isBaselineResource, typeEntryMatches } from "../../lib/baseline-resources";

/**
 * The baseline's critical resources: the five types of the rule, the organization and its OUs,
 * and the trail's CloudWatch Logs group (the only log group the baseline protects; the audit
 * agent's own log group is meant to be replaceable). See lib/baseline-resources.ts for "baseline's".
 */
export const CRITICAL_TYPES_DEFAULT = [
  ...PROTECTED_TYPES_DEFAULT,
  "aws:organizations/organization:Organization",
  "aws:organizations/organizationalUnit:OrganizationalUnit",
  "orgwarden:cloudtrail:OrgTrail$aws:cloudwatch/logGroup:LogGroup",
  // The Resolver query logging configurations infra protects (a member's VPCs log to them through the RAM share).
  "orgwarden:network:DnsQueryLogs$aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig",
];

interface Config {
  types: string[];
}

export const protectCriticalResources = resourcePolicy<Config>(
  {
    name: "protect-critical-resources",
    description:
      "Checks that the baseline's log buckets, KMS keys, trail and its log group, organization, OUs and accounts keep protect: true and do not set forceDestroy or closeOnDeletion.",
    severity: "high",
    remediationSteps:
      "Pass { protect: true } in the resource options; remove forceDestroy: true from buckets and closeOnDeletion: true from accounts. To retire such a resource, unprotect it in its own reviewed change.",
    controls: [],
    enforcementLevel: "mandatory",
    configSchema: policyConfig({
      types: z
        .array(z.string().regex(/^[^$]+(\$[^$]+)?$/))
        .default([...CRITICAL_TYPES_DEFAULT])
        .describe(
          "Resource types that must be protected when they belong to the baseline (a child of an orgwarden: component); <component type>$<type> limits one to children of that component.",
        ),
    }),
  },
  (cfg) => [...new Set(cfg.types.map(entryType))],
  (r, cfg) => {
    if (!isBaselineResource(r.urn))
      return {
        violations: [],
        notApplicable: `Policy only applies to the baseline's own resources (children of an orgwarden: component); ${r.name} is not one`,
      };
    if (!cfg.types.some((t) => typeEntryMatches(t, r.urn)))
      return {
        violations: [],
        notApplicable: `Policy only applies to ${r.type} directly under the components its types entries name`,
      };
    return protectedResource(r.type, r.name, r.protect, r.props, { types: [r.type], exemptNames: [] });
  },
);
