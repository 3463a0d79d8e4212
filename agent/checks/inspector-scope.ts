/**
 * What inspector-organization and inspector-members share: the manifest's inspector area (absent in
 * manifests published before it: one NOT_APPLICABLE saying so) and the failure that stands for a
 * region whose reading the observed state does not hold.
 */
import { organizationArn, type AuditManifest } from "../../baseline";
import type { CheckMetadata, Finding } from "../finding";
import { finding, type ReadFailure } from "./common";

/** The NOT_APPLICABLE of a manifest without the inspector area: the intent is unknown, so nothing is judged. */
export function inspectorNotPublished(meta: CheckMetadata, m: AuditManifest): Finding {
  return finding(
    meta,
    { account: "-", region: "global", resourceArn: organizationArn(m.organization) },
    {
      status: "NOT_APPLICABLE",
      intended: "no inspector area in the manifest",
      observed: null,
      message: `${meta.title}: not applicable, the audit manifest has no inspector area (a manifest published before it); run \`pulumi up\` to republish it and have Inspector's organization judged.`,
    },
  );
}

/** Why a region has no reading: the observed state holds none (never a PASS on a region nobody read). */
export function inspectorNotCollected(region: string, operation: string): ReadFailure {
  return {
    name: "NotCollected",
    operation,
    service: "inspector2",
    message: `the observed state holds no reading of Amazon Inspector's organization in ${region}`,
  };
}
