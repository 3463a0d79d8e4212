/** The manifest names one trail; every trail check looks at that one, by ARN (a shadow copy in another region carries the same ARN). */
import type { AuditManifest } from "../../baseline";
import type { ObservedTrail } from "../model";
import type { Scope } from "./common";

export function findIntendedTrail(trails: ObservedTrail[], m: AuditManifest): ObservedTrail | undefined {
  return trails.find((t) => t.arn === m.trail.arn);
}

export function trailScope(m: AuditManifest): Scope {
  return { account: m.organization.managementAccountId, region: m.trail.homeRegion, resourceArn: m.trail.arn };
}

export function missingTrailMessage(m: AuditManifest): string {
  return `Trail ${m.trail.arn} does not exist in the management account; create it (pulumi up) as an organization trail in ${m.trail.homeRegion}.`;
}
