import { bucketArn, type AuditManifest } from "../../baseline";
import type { Scope } from "./common";

/** The archive bucket lives in the log-archive account, in the home region. */
export function archiveScope(m: AuditManifest): Scope {
  return {
    account: m.organization.logArchiveAccountId,
    region: m.regions.home,
    resourceArn: bucketArn(m.archive.bucketName),
  };
}
