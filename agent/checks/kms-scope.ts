import { parseKmsKeyRef, type AuditManifest } from "../../baseline";
import type { Scope } from "./common";

/** The key's ARN says where it lives (the security account, normally) and where its collector read it. */
export function keyScope(m: AuditManifest): Scope {
  const ref = parseKmsKeyRef(m.key.arn);
  const where = ref?.kind === "key-arn" || ref?.kind === "alias-arn" ? ref : undefined;
  return {
    account: where?.account || m.organization.securityAccountId,
    region: where?.region || m.regions.home,
    resourceArn: m.key.arn,
  };
}
