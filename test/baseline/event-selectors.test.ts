import { describe, expect, it } from "vitest";
import {
  basicToAdvanced,
  describeSelectorGaps,
  intendedTrailSelectors,
  MAX_WITNESSES,
  selectorGaps,
  selectorMatches,
  type EventSelectorModel,
  type FieldSelector,
} from "../../baseline/event-selectors";

const MGMT: FieldSelector = { field: "eventCategory", equals: ["Management"] };
const mgmt = (...more: FieldSelector[]): EventSelectorModel => ({ fieldSelectors: [MGMT, ...more] });
const ALL_MGMT = intendedTrailSelectors({ logBucketNames: [] });
const gapsOf = (observed: EventSelectorModel[], intended = ALL_MGMT) =>
  describeSelectorGaps(selectorGaps(intended, observed));

describe("selectorMatches: one selector as a predicate over an event record", () => {
  const e = {
    eventCategory: "Management",
    readOnly: "false",
    eventSource: "s3.amazonaws.com",
    eventName: "PutBucketPolicy",
  };
  it.each<[string, FieldSelector, boolean]>([
    ["Equals", { field: "eventSource", equals: ["s3.amazonaws.com"] }, true],
    ["Equals another", { field: "eventSource", equals: ["kms.amazonaws.com"] }, false],
    ["StartsWith", { field: "eventName", startsWith: ["Put"] }, true],
    ["NotStartsWith", { field: "eventSource", notStartsWith: ["s3."] }, false],
    ["EndsWith", { field: "eventName", endsWith: ["Policy"] }, true],
    ["NotEndsWith", { field: "eventName", notEndsWith: ["Policy"] }, false],
    ["NotEquals another", { field: "eventSource", notEquals: ["kms.amazonaws.com"] }, true],
    ["positives ORed", { field: "eventName", equals: ["X"], startsWith: ["Put"] }, true],
    ["negatives ANDed", { field: "eventName", notEquals: ["X"], notStartsWith: ["Put"] }, false],
    ["positive and negative both hold", { field: "eventName", startsWith: ["Put"], notEndsWith: ["Policy"] }, false],
  ])("%s", (_n, f, want) => {
    expect(selectorMatches(mgmt(f), e)).toBe(want);
  });
});

describe("selectorGaps: does the union record every intended event?", () => {
  it.each<[string, EventSelectorModel[], string[]]>([
    ["eventCategory = Management alone", [mgmt()], []],
    [
      "read and write in two selectors",
      [mgmt({ field: "readOnly", equals: ["true"] }), mgmt({ field: "readOnly", equals: ["false"] })],
      [],
    ],
    [
      "readOnly Equals true only",
      [mgmt({ field: "readOnly", equals: ["true"] })],
      ["write management events (readOnly = false)"],
    ],
    [
      "eventCategory Management with eventSource NotEquals kms.amazonaws.com",
      [mgmt({ field: "eventSource", notEquals: ["kms.amazonaws.com"] })],
      ["management events with eventSource = kms.amazonaws.com"],
    ],
    [
      "NotStartsWith on eventSource",
      [mgmt({ field: "eventSource", notStartsWith: ["iam."] })],
      ['management events with eventSource starts with "iam."'],
    ],
    [
      "an excluded source put back by a second selector",
      [
        mgmt({ field: "eventSource", notEquals: ["kms.amazonaws.com"] }),
        mgmt({ field: "eventSource", equals: ["kms.amazonaws.com"] }),
      ],
      [],
    ],
    [
      "StartsWith complements NotStartsWith exactly",
      [mgmt({ field: "eventName", startsWith: ["Get"] }), mgmt({ field: "eventName", notStartsWith: ["Get"] })],
      [],
    ],
    [
      "one event name dropped from writes only",
      [
        mgmt({ field: "readOnly", equals: ["true"] }),
        mgmt({ field: "readOnly", equals: ["false"] }, { field: "eventName", notEquals: ["StopLogging"] }),
      ],
      ["write management events (readOnly = false) with eventName = StopLogging"],
    ],
    [
      "eventSource Equals one service",
      [mgmt({ field: "eventSource", equals: ["s3.amazonaws.com"] })],
      ["management events with eventSource other than s3.amazonaws.com"],
    ],
    ["only data events", [{ fieldSelectors: [{ field: "eventCategory", equals: ["Data"] }] }], ["management events"]],
    ["nothing at all", [], ["management events"]],
  ])("%s", (_n, observed, want) => {
    expect(gapsOf(observed)).toEqual(want);
  });

  it("basic selectors: ExcludeManagementEventSources and WriteOnly are gaps, All with every source is none", () => {
    expect(gapsOf(basicToAdvanced([{ readWriteType: "All" }]))).toEqual([]);
    expect(
      gapsOf(
        basicToAdvanced([{ readWriteType: "WriteOnly", excludeManagementEventSources: ["rdsdata.amazonaws.com"] }]),
      ),
    ).toEqual([
      "management events with eventSource = rdsdata.amazonaws.com",
      "read management events (readOnly = true) with eventSource other than rdsdata.amazonaws.com",
    ]);
    expect(gapsOf(basicToAdvanced([{ includeManagementEvents: false }]))).toEqual(["management events"]);
  });

  it("data events: the baseline's S3 selector, a basic selector on every object, and one narrowed to a bucket", () => {
    const want = intendedTrailSelectors({ s3DataEvents: true, logBucketNames: ["archive", "access"] }).slice(1);
    expect(gapsOf(want, want)).toEqual([]);
    expect(
      gapsOf(basicToAdvanced([{ dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3"] }] }]), want),
    ).toEqual([]);
    expect(
      gapsOf(
        basicToAdvanced([{ dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3:::reports/"] }] }]),
        want,
      ),
    ).toEqual(['data events with resources.type = AWS::S3::Object, resources.ARN starts with "arn:aws:s3:::"']);
  });

  it("data events intended, management events only observed: a gap even though no selector names an ARN", () => {
    const want = intendedTrailSelectors({ lambdaDataEvents: true, logBucketNames: [] }).slice(1);
    expect(gapsOf([mgmt()], want)).toEqual(["data events with resources.type = AWS::Lambda::Function"]);
  });

  it("too many values to enumerate is said, never a PASS", () => {
    const many = Array.from({ length: 700 }, (_, i) => `svc${i}.amazonaws.com`);
    const g = selectorGaps(ALL_MGMT, [
      mgmt({ field: "eventSource", notEquals: many }, { field: "eventName", notEquals: many }),
    ]);
    expect(g.tooComplex).toBeGreaterThan(MAX_WITNESSES);
    expect(describeSelectorGaps(g)[0]).toMatch(/^the selectors name too many values to judge by meaning/);
  });
});
