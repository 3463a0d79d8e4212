import type { AuditManifest } from "../../baseline";
import type { Scope } from "./common";

/** The key's ARN says where it lives (the security account, normally) and where its collector read it. */
export function keyScope(m: AuditManifest): Scope {
  const [, , , region, account] = m.key.arn.split(":");
  return { account: account || m.organization.securityAccountId, region: region || m.regions.home, resourceArn: m.key.arn };
}
