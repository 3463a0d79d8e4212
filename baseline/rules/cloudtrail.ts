/** Rules for CloudTrail trails (CIS 3.1, 3.2, 3.5, 3.4, 3.8/3.9 in CIS AWS Foundations v3.0.0 numbering). */
import { asList, asRecord, isUnknown, ResourceVerdict, setting, StackVerdict, StackViolation } from "./values";
import { label, ofType, StackResource } from "./stack-model";
import {
  ABSENT,
  cloudtrailCloudwatchLogs,
  cloudtrailDataEvents,
  cloudtrailGlobalServiceEvents,
  cloudtrailKmsEncryption,
  cloudtrailLogFileValidation,
  cloudtrailLogging,
  cloudtrailManagementEvents,
  cloudtrailMultiRegion,
  cloudtrailOrganizationTrail,
  type Fact,
  known,
  UNKNOWN as UNKNOWN_FACT,
  type Verdict,
} from "../controls";
import { flagFact, stringFact } from "./facts";
import { DATA_EVENT_ALL_RESOURCES } from "../arns";
import {
  basicToAdvanced,
  SELECTOR_OPERATORS,
  selectorGaps,
  type EventSelectorModel,
  type FieldSelector,
} from "../event-selectors";

/** The provider's plural operator names (startsWiths, …) for the model's (startsWith, …). */
const PULUMI_OPERATOR: Record<(typeof SELECTOR_OPERATORS)[number], string> = {
  equals: "equals",
  startsWith: "startsWiths",
  endsWith: "endsWiths",
  notEquals: "notEquals",
  notStartsWith: "notStartsWiths",
  notEndsWith: "notEndsWiths",
};

const strings = (v: unknown): string[] => asList(v).filter((x): x is string => typeof x === "string");

/**
 * The trail's selectors as the baseline's model (baseline/event-selectors.ts), unknown if any part
 * is; a trail with neither kind records every management event, as CloudTrail's default does.
 */
export function trailSelectors(props: Props): Fact<EventSelectorModel[]> {
  const adv = props.advancedEventSelectors;
  const basic = props.eventSelectors;
  if (isUnknown(adv) || isUnknown(basic)) return UNKNOWN_FACT;
  const advanced = asList(adv).map((s) => asRecord(s) ?? {});
  if (advanced.length > 0) {
    const out: EventSelectorModel[] = [];
    for (const s of advanced) {
      const fields: FieldSelector[] = [];
      for (const f of asList(s.fieldSelectors).map((x) => asRecord(x) ?? {})) {
        if (isUnknown(f.field) || SELECTOR_OPERATORS.some((op) => isUnknown(f[PULUMI_OPERATOR[op]])))
          return UNKNOWN_FACT;
        const fs: FieldSelector = { field: typeof f.field === "string" ? f.field : "" };
        for (const op of SELECTOR_OPERATORS)
          if (f[PULUMI_OPERATOR[op]] !== undefined) fs[op] = strings(f[PULUMI_OPERATOR[op]]);
        fields.push(fs);
      }
      out.push({ fieldSelectors: fields });
    }
    return known(out);
  }
  const basics = asList(basic).map((s) => asRecord(s) ?? {});
  if (basics.some((s) => Object.values(s).some(isUnknown))) return UNKNOWN_FACT;
  return known(
    basicToAdvanced(
      (basics.length > 0 ? basics : [{}]).map((s) => ({
        readWriteType: typeof s.readWriteType === "string" ? s.readWriteType : undefined,
        includeManagementEvents: typeof s.includeManagementEvents === "boolean" ? s.includeManagementEvents : undefined,
        excludeManagementEventSources: strings(s.excludeManagementEventSources),
        dataResources: asList(s.dataResources).map((d) => {
          const r = asRecord(d) ?? {};
          return { type: typeof r.type === "string" ? r.type : undefined, values: strings(r.values) };
        }),
      })),
    ),
  );
}

/** CIS 3.1 asks for read and write management events: judged by meaning, every event source included. */
function managementEvents(props: Props): string[] {
  const v = cloudtrailManagementEvents.judge({ selectors: trailSelectors(props) }, undefined);
  return v.gaps.map((g) =>
    g.found.kind === "unknown"
      ? setting("the trail's event selectors")
      : `record every management event — not recorded: ${g.reason}; keep a selector with eventCategory = Management and no readOnly, eventSource or eventName condition`,
  );
}

export { isAwsManagedKeyRef } from "../controls";

export const TRAIL_TYPE = "aws:cloudtrail/trail:Trail";
export const ORGANIZATION_TYPE = "aws:organizations/organization:Organization";

type Props = Record<string, unknown>;

/** A flag control's verdict as the pack words it: the prop is named, an unknown one is a setting to fix. */
function flagMessage(v: Verdict, key: string, must: string): string[] {
  const g = v.gaps[0];
  if (!g) return [];
  return [g.found.kind === "unknown" ? setting(key) : must];
}

/** Policy 1, per trail: multi-region, global service events, logging on. */
export function trailCoverage(props: Props): string[] {
  return [
    ...flagMessage(
      cloudtrailMultiRegion.judge({ isMultiRegionTrail: flagFact(props.isMultiRegionTrail) }),
      "isMultiRegionTrail",
      "set isMultiRegionTrail: true so the trail records every region",
    ),
    ...flagMessage(
      cloudtrailGlobalServiceEvents.judge({ includeGlobalServiceEvents: flagFact(props.includeGlobalServiceEvents) }),
      "includeGlobalServiceEvents",
      "set includeGlobalServiceEvents: true (or leave it unset) so IAM, STS and other global events are recorded",
    ),
    ...flagMessage(
      cloudtrailLogging.judge({ isLogging: flagFact(props.enableLogging) }),
      "enableLogging",
      "set enableLogging: true (or leave it unset): a trail that does not log records nothing",
    ),
    ...managementEvents(props),
  ];
}

/**
 * Policy 1, stack: every trail covered, and an organization trail wherever the stack manages the
 * organization. `externalOrganizationTrailArn` (policy config) names an organization trail the stack
 * relies on but does not lay, such as an AWS Control Tower landing zone's (orgwarden's
 * controlTower.enabled): the audit agent judges that trail, so its absence here is not a violation.
 */
export function trailsCoverStack(resources: StackResource[], externalOrganizationTrailArn?: string): StackVerdict {
  const trails = ofType(resources, [TRAIL_TYPE]);
  const violations: StackViolation[] = trails.flatMap((t) =>
    trailCoverage(t.props).map((m) => ({ urn: t.urn, message: `${label(t)}: ${m}` })),
  );
  const managesOrg = ofType(resources, [ORGANIZATION_TYPE]).length > 0;
  if (managesOrg) {
    const verdicts = trails.map((t) => ({
      t,
      v: cloudtrailOrganizationTrail.judge({ isOrganizationTrail: flagFact(t.props.isOrganizationTrail) }),
    }));
    const orgTrails = verdicts.filter(({ v }) => v.passed);
    const unknown = verdicts.filter(({ v }) => v.gaps[0]?.found.kind === "unknown").map(({ t }) => t);
    for (const t of unknown) violations.push({ urn: t.urn, message: `${label(t)}: ${setting("isOrganizationTrail")}` });
    if (orgTrails.length === 0 && unknown.length === 0 && !externalOrganizationTrailArn) {
      violations.push({
        message:
          "this stack manages the AWS Organization but has no organization trail: add an aws.cloudtrail.Trail with isOrganizationTrail: true in the management account",
      });
    }
  }
  return { violations };
}

/** Policy 2. */
export function trailLogFileValidation(props: Props): ResourceVerdict {
  const v = cloudtrailLogFileValidation.judge({ logFileValidation: flagFact(props.enableLogFileValidation) });
  return {
    violations: flagMessage(
      v,
      "enableLogFileValidation",
      "set enableLogFileValidation: true so tampering with delivered log files can be detected",
    ),
  };
}

/** Policy 3: an unknown kmsKeyId counts as set (it references a key the engine will create). */
export function trailKmsEncryption(props: Props): ResourceVerdict {
  const g = cloudtrailKmsEncryption.judge({ kmsKeyId: stringFact(props.kmsKeyId), intendedKey: ABSENT }).gaps[0];
  if (g?.reason === "missing")
    return {
      violations: [
        "set kmsKeyId to a customer managed KMS key ARN so log files are encrypted with SSE-KMS under a key policy you control",
      ],
    };
  if (g)
    return { violations: [`kmsKeyId ${String(props.kmsKeyId)} is an AWS managed key; use a customer managed KMS key`] };
  return { violations: [] };
}

/** Policy 4: both references must be set; unknown references count as set. */
export function trailCloudWatchLogs(props: Props): ResourceVerdict {
  const v = cloudtrailCloudwatchLogs.judge(
    {
      cloudWatchLogsGroupArn: stringFact(props.cloudWatchLogsGroupArn),
      cloudWatchLogsRoleArn: stringFact(props.cloudWatchLogsRoleArn),
    },
    {},
  );
  const out: string[] = [];
  if (v.gaps.some((g) => g.field === "cloudWatchLogsGroupArn"))
    out.push(
      "set cloudWatchLogsGroupArn to the trail's log group ARN (ending in :*) so CIS metric filters can watch the events",
    );
  if (v.gaps.some((g) => g.field === "cloudWatchLogsRoleArn"))
    out.push("set cloudWatchLogsRoleArn to a role CloudTrail can assume to write to the log group");
  return { violations: out };
}

export interface DataEventConfig {
  s3DataEvents: boolean;
  lambdaDataEvents: boolean;
}

const RESOURCE_TYPES: Record<"s3" | "lambda", { type: string; arnPrefix: string; label: string }> = {
  s3: { type: "AWS::S3::Object", arnPrefix: DATA_EVENT_ALL_RESOURCES["AWS::S3::Object"][0], label: "S3 object" },
  lambda: {
    type: "AWS::Lambda::Function",
    arnPrefix: DATA_EVENT_ALL_RESOURCES["AWS::Lambda::Function"][0],
    label: "Lambda invoke",
  },
};

/**
 * Whether the selectors record every data event of a type, judged by meaning (baseline/event-selectors.ts):
 * read and write, every event name. Which buckets are log buckets the pack cannot tell, so ARN
 * prefixes the trail's own selectors exclude (NotStartsWith on resources.ARN) are accepted as the
 * intended exclusions; the audit agent holds them to the manifest's log buckets.
 */
function recordsDataEvents(props: Props, kind: "s3" | "lambda"): Fact<boolean> {
  const have = trailSelectors(props);
  if (have.kind !== "known") return UNKNOWN_FACT;
  const type = RESOURCE_TYPES[kind].type;
  const excluded = have.value.flatMap((s) =>
    s.fieldSelectors.filter((f) => f.field === "resources.ARN").flatMap((f) => [...(f.notStartsWith ?? [])]),
  );
  const intended: EventSelectorModel[] = [
    {
      fieldSelectors: [
        { field: "eventCategory", equals: ["Data"] },
        { field: "resources.type", equals: [type] },
        ...(excluded.length > 0 ? [{ field: "resources.ARN", notStartsWith: excluded }] : []),
      ],
    },
  ];
  const g = selectorGaps(intended, have.value);
  return known(g.cubes.length === 0 && g.tooComplex === undefined);
}

/** Policy 5. */
export function trailDataEvents(props: Props, cfg: DataEventConfig): ResourceVerdict {
  const v = cloudtrailDataEvents.judge(
    { s3DataEvents: recordsDataEvents(props, "s3"), lambdaDataEvents: recordsDataEvents(props, "lambda") },
    { s3: cfg.s3DataEvents, lambda: cfg.lambdaDataEvents },
  );
  const out = v.gaps.map((g) => {
    const t = RESOURCE_TYPES[g.field === "s3DataEvents" ? "s3" : "lambda"];
    return g.found.kind === "unknown"
      ? setting("the trail's event selectors")
      : `record ${t.label} data events: add an advanced event selector with eventCategory = Data and resources.type = ${t.type}`;
  });
  return { violations: out };
}
