/**
 * What the audit-agent-* checks share: the manifest's auditAgent area and the plan's reading of it,
 * or the one finding that says why nothing can be judged: NOT_APPLICABLE for a manifest published
 * before the area, ERROR for a state that holds no reading of it (never a PASS on what was not read).
 */
import type { AuditManifest, AuditAgentIntent } from "../../baseline";
import type { ObservedAgentDeployment } from "../collectors/audit-agent";
import type { CheckMetadata, Finding } from "../finding";
import type { ObservedState } from "../model";
import { errorFinding, finding, type Scope } from "./common";

export interface AgentSubject {
  intent: AuditAgentIntent;
  observed: ObservedAgentDeployment;
  account: string;
  region: string;
}

/** The area and its reading, or the finding (on `whole`, the check's resource pattern) that says why there is none. */
export function agentSubject(
  meta: CheckMetadata,
  o: ObservedState,
  m: AuditManifest,
  whole: (account: string, region: string) => string,
  operation: string,
): { subject?: AgentSubject; findings: Finding[] } {
  const account = m.organization.securityAccountId;
  const region = m.regions.home;
  const scope: Scope = { account, region, resourceArn: whole(account, region) };
  const intent = m.auditAgent;
  if (!intent)
    return {
      findings: [
        finding(meta, scope, {
          status: "NOT_APPLICABLE",
          intended: "the audit agent's deployment as the manifest's auditAgent area describes it",
          observed: null,
          message: `${meta.title}: not applicable, the audit manifest has no auditAgent area (a manifest published before it). Run \`pulumi up\` on the stack to republish the manifest.`,
        }),
      ],
    };
  const observed = o.auditAgent;
  if (!observed || observed.account !== account || observed.region !== region)
    return {
      findings: [
        errorFinding(
          meta,
          scope,
          {
            name: "NotCollected",
            operation,
            message: `the observed state holds no reading of the audit agent's deployment in ${account}/${region}`,
          },
          intent,
        ),
      ],
    };
  return { subject: { intent, observed, account, region }, findings: [] };
}
