/** Rule for AWS Config recorders (CIS 3.3 in v3.0.0 numbering: Config enabled in all regions). */
import { asList, asRecord, isUnknown, setting, StackVerdict, StackViolation } from "./values";
import { accountOf, label, ofType, regionOf, StackResource } from "./stack-model";
import { CFN_DELIVERY_CHANNEL, DELIVERY_CHANNEL_TYPE } from "./log-buckets";
import { configRecorderAllSupported, configRecorderGlobalResources, known, UNKNOWN as UNKNOWN_FACT } from "../controls";
import {
  CFN_TYPES,
  evaluate,
  existsIn,
  scanTemplates,
  Template,
  TemplateResource,
  templateResources,
  Unresolved,
  where,
} from "./cfn-templates";

export const RECORDER_TYPE = "aws:cfg/recorder:Recorder";
export const CFN_RECORDER = "AWS::Config::ConfigurationRecorder";

/** Where global resource types are recorded, per account (or per StackSet, whose template every member account gets). */
interface GlobalGroup {
  /** The recording group's key as the program spells it, for the message. */
  key: string;
  global: { urn: string; region: string }[];
  unknown: boolean;
}

type Groups = Map<string, GlobalGroup>;

function group(groups: Groups, name: string, key: string): GlobalGroup {
  const g = groups.get(name) ?? { key, global: [], unknown: false };
  groups.set(name, g);
  return g;
}

/** AWS's own defaults when recordingGroup is absent: all supported types, no global types. */
function recordingOf(r: StackResource): { allSupported: unknown; global: unknown } {
  const g = r.props.recordingGroup;
  if (isUnknown(g)) return { allSupported: g, global: g };
  const rg = asRecord(g);
  if (!rg) return { allSupported: true, global: false };
  const strategy = asRecord(asList(rg.recordingStrategies)[0])?.useOnly;
  const all =
    rg.allSupported === undefined
      ? strategy === undefined
        ? true
        : strategy === "ALL_SUPPORTED_RESOURCE_TYPES"
      : rg.allSupported;
  return { allSupported: all, global: rg.includeGlobalResourceTypes ?? false };
}

function pulumiRecorders(resources: StackResource[], groups: Groups, violations: StackViolation[]): void {
  const channels = ofType(resources, [DELIVERY_CHANNEL_TYPE]);
  for (const r of ofType(resources, [RECORDER_TYPE])) {
    const say = (m: string) => violations.push({ urn: r.urn, message: `${label(r)}: ${m}` });
    const { allSupported, global } = recordingOf(r);
    const all = configRecorderAllSupported.judge({
      allSupported: isUnknown(allSupported) ? UNKNOWN_FACT : known(allSupported === true),
    }).gaps[0];
    if (all)
      say(
        all.found.kind === "unknown"
          ? setting("recordingGroup.allSupported")
          : "set recordingGroup.allSupported: true so every supported resource type is recorded",
      );
    const g = group(groups, `account ${accountOf(r)}`, "recordingGroup.includeGlobalResourceTypes");
    if (isUnknown(global)) {
      say(setting("recordingGroup.includeGlobalResourceTypes"));
      g.unknown = true;
    } else if (global === true) g.global.push({ urn: r.urn, region: regionOf(r) });
    const here = channels.filter((c) => accountOf(c) === accountOf(r) && regionOf(c) === regionOf(r));
    if (here.length === 0)
      say(
        `add an aws.cfg.DeliveryChannel in account ${accountOf(r)}, region ${regionOf(r)}: a recorder without a delivery channel cannot start`,
      );
  }
}

/** One template recorder in one region: its recording group, and a delivery channel beside it in the same template. */
function judgeInRegion(
  rec: TemplateResource,
  channels: TemplateResource[],
  region: string,
  g: GlobalGroup,
  say: (m: string) => void,
  gap: (m: string) => void,
): void {
  const exists = existsIn(rec, region);
  if (exists instanceof Unresolved)
    return gap(`whether ${where(rec)} exists in ${region} cannot be told at preview (${exists.reason})`);
  if (!exists) return;
  const rg = evaluate(rec.properties.RecordingGroup, rec.template, region);
  const group = rg instanceof Unresolved ? undefined : asRecord(rg);
  if (rg instanceof Unresolved)
    gap(`the RecordingGroup of ${where(rec)} in ${region} cannot be evaluated at preview (${rg.reason})`);
  const strategy = asRecord(group?.RecordingStrategy)?.UseOnly;
  const all =
    group === undefined
      ? true
      : (group.AllSupported ?? (strategy === undefined ? true : strategy === "ALL_SUPPORTED_RESOURCE_TYPES"));
  const global = group === undefined ? false : (group.IncludeGlobalResourceTypes ?? false);
  if (rg instanceof Unresolved) g.unknown = true;
  else {
    const unresolved = all instanceof Unresolved ? all : undefined;
    const v = configRecorderAllSupported.judge({
      allSupported: unresolved ? UNKNOWN_FACT : known(all === true || all === "true"),
    });
    // A template value that cannot be evaluated is a gap of the preview (not applicable), not of the template.
    if (unresolved && !v.passed)
      gap(
        `RecordingGroup.AllSupported of ${where(rec)} in ${region} cannot be evaluated at preview (${unresolved.reason})`,
      );
    else if (!v.passed)
      say(`${region}: set RecordingGroup.AllSupported: true so every supported resource type is recorded`);
  }
  if (global instanceof Unresolved) {
    gap(
      `RecordingGroup.IncludeGlobalResourceTypes of ${where(rec)} in ${region} cannot be evaluated at preview (${global.reason})`,
    );
    g.unknown = true;
  } else if (global === true || global === "true") g.global.push({ urn: rec.template.holder.urn, region });
  const present = channels.filter((c) => c.template === rec.template).map((c) => existsIn(c, region));
  if (present.some((p) => p === true)) return;
  const unresolved = present.find((p): p is Unresolved => p instanceof Unresolved);
  if (unresolved)
    gap(
      `whether the delivery channel beside ${where(rec)} exists in ${region} cannot be told at preview (${unresolved.reason})`,
    );
  else
    say(
      `${region}: add an AWS::Config::DeliveryChannel to the same template: a recorder without a delivery channel cannot start`,
    );
}

function templateRecorders(
  resources: StackResource[],
  groups: Groups,
  violations: StackViolation[],
  gaps: string[],
): number {
  const scan = scanTemplates(resources);
  gaps.push(...scan.unreadable.map((u) => `${u}; a Config recorder inside it would not be judged`));
  const channels = templateResources(scan, CFN_DELIVERY_CHANNEL);
  const recorders = templateResources(scan, CFN_RECORDER);
  for (const rec of recorders) {
    const t: Template = rec.template;
    if (!t.regions) {
      gaps.push(`${where(rec)} is not judged: ${t.regionsUnknown}`);
      continue;
    }
    const name =
      t.holder.type === CFN_TYPES.stackSet ? `the accounts of ${label(t.holder)}` : `account ${accountOf(t.holder)}`;
    const g = group(groups, name, "RecordingGroup.IncludeGlobalResourceTypes");
    const say = (m: string) => violations.push({ urn: t.holder.urn, message: `${where(rec)}, ${m}` });
    for (const region of t.regions) judgeInRegion(rec, channels, region, g, say, (m) => gaps.push(m));
  }
  return recorders.length;
}

/** Policy 14: all supported types, global types in exactly one region per account, a delivery channel beside each recorder. */
export function configRecorders(resources: StackResource[]): StackVerdict {
  const violations: StackViolation[] = [];
  const gaps: string[] = [];
  const groups: Groups = new Map();
  pulumiRecorders(resources, groups, violations);
  const inTemplates = templateRecorders(resources, groups, violations, gaps);
  for (const [name, g] of groups) {
    const gap = configRecorderGlobalResources.judge(
      { regionsRecordingGlobal: g.unknown ? UNKNOWN_FACT : known(g.global.map((x) => x.region)) },
      {},
    ).gaps[0];
    // An unknown flag was already reported on its recorder (or as a preview gap).
    if (!gap || gap.found.kind === "unknown") continue;
    if (gap.reason === "none") {
      violations.push({
        message: `${name}: set ${g.key}: true on the recorder of exactly one region so IAM resources are recorded`,
      });
    } else {
      violations.push({
        urn: g.global[1].urn,
        message: `${name}: global resource types are recorded in ${g.global.length} regions (${g.global.map((x) => x.region).join(", ")}); keep ${g.key === "recordingGroup.includeGlobalResourceTypes" ? "includeGlobalResourceTypes" : "IncludeGlobalResourceTypes"}: true in one region only`,
      });
    }
  }
  if (ofType(resources, [RECORDER_TYPE]).length === 0 && inTemplates === 0 && gaps.length === 0) {
    return {
      violations,
      notApplicable:
        "the stack manages no Config recorder: no aws.cfg.Recorder and no AWS::Config::ConfigurationRecorder in a CloudFormation Stack or StackSet template",
    };
  }
  return gaps.length ? { violations, notApplicable: [...new Set(gaps)].join("; ") } : { violations };
}
