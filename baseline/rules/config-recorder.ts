/** Rule for AWS Config recorders (CIS 3.3 in v3.0.0 numbering: Config enabled in all regions). */
import { asList, asRecord, isUnknown, setting, StackVerdict, StackViolation } from "./values";
import { accountOf, label, ofType, regionOf, StackResource } from "./stack-model";
import { DELIVERY_CHANNEL_TYPE } from "./log-buckets";

export const RECORDER_TYPE = "aws:cfg/recorder:Recorder";

/** AWS's own defaults when recordingGroup is absent: all supported types, no global types. */
function recordingOf(r: StackResource): { allSupported: unknown; global: unknown } {
  const g = r.props.recordingGroup;
  if (isUnknown(g)) return { allSupported: g, global: g };
  const rg = asRecord(g);
  if (!rg) return { allSupported: true, global: false };
  const strategy = asRecord(asList(rg.recordingStrategies)[0])?.useOnly;
  const all = rg.allSupported === undefined ? (strategy === undefined ? true : strategy === "ALL_SUPPORTED_RESOURCE_TYPES") : rg.allSupported;
  return { allSupported: all, global: rg.includeGlobalResourceTypes ?? false };
}

/** Policy 14: all supported types, global types in exactly one region per account, a delivery channel beside each recorder. */
export function configRecorders(resources: StackResource[]): StackVerdict {
  const violations: StackViolation[] = [];
  const recorders = ofType(resources, [RECORDER_TYPE]);
  const channels = ofType(resources, [DELIVERY_CHANNEL_TYPE]);
  const globalByAccount = new Map<string, StackResource[]>();
  for (const r of recorders) {
    const say = (m: string) => violations.push({ urn: r.urn, message: `${label(r)}: ${m}` });
    const { allSupported, global } = recordingOf(r);
    if (isUnknown(allSupported)) say(setting("recordingGroup.allSupported"));
    else if (allSupported !== true) say("set recordingGroup.allSupported: true so every supported resource type is recorded");
    if (isUnknown(global)) say(setting("recordingGroup.includeGlobalResourceTypes"));
    else if (global === true) globalByAccount.set(accountOf(r), [...(globalByAccount.get(accountOf(r)) ?? []), r]);
    else if (!globalByAccount.has(accountOf(r))) globalByAccount.set(accountOf(r), []);
    const here = channels.filter((c) => accountOf(c) === accountOf(r) && regionOf(c) === regionOf(r));
    if (here.length === 0) say(`add an aws.cfg.DeliveryChannel in account ${accountOf(r)}, region ${regionOf(r)}: a recorder without a delivery channel cannot start`);
  }
  for (const [account, globals] of globalByAccount) {
    if (recorders.some((r) => accountOf(r) === account && isUnknown(recordingOf(r).global))) continue;
    if (globals.length === 0) {
      violations.push({ message: `account ${account}: set recordingGroup.includeGlobalResourceTypes: true on the recorder of exactly one region so IAM resources are recorded` });
    } else if (globals.length > 1) {
      violations.push({ urn: globals[1].urn, message: `account ${account}: global resource types are recorded in ${globals.length} regions (${globals.map(regionOf).join(", ")}); keep includeGlobalResourceTypes: true in one region only` });
    }
  }
  return { violations };
}
