import type { AuditManifest } from "../../baseline";
import type { Scope } from "./common";

/** The log key lives in the security account; its ARN says in which region. */
export function keyScope(m: AuditManifest): Scope {
  const region = m.key.arn.split(":")[3] || m.regions.home;
  return { account: m.organization.securityAccountId, region, resourceArn: m.key.arn };
}
