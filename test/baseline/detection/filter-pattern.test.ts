import { describe, expect, it } from "vitest";
import {
  canonicalFilterPattern,
  CIS_FILTERS,
  FilterPatternError,
  matchesFilterPattern,
  sameFilterPatternMeaning,
} from "../../../baseline/detection";
import { apiCall, consoleLogin, denied, rootApiCall, rootServiceEvent, rootViaService } from "./cloudtrail-events";

const cis = (id: string) => CIS_FILTERS.find((f) => f.id === id)!.pattern;

/** Events that tell the CIS patterns apart: each pair judged "same" must match exactly the same of these. */
const EVENTS = [
  rootApiCall("ListBuckets"),
  rootViaService("ListBuckets"),
  rootServiceEvent(),
  consoleLogin({ mfa: "No", result: "Success" }),
  consoleLogin({ mfa: "Yes", result: "Success" }),
  consoleLogin({ mfa: "No", result: "Failure", errorMessage: "Failed authentication" }),
  denied("ec2.amazonaws.com", "RunInstances", "Client.UnauthorizedOperation"),
  denied("s3.amazonaws.com", "HeadBucket", "AccessDenied"),
  denied("s3.amazonaws.com", "GetObject", "AccessDenied", { sourceIPAddress: "delivery.logs.amazonaws.com" }),
  apiCall("kms.amazonaws.com", "DisableKey"),
  apiCall("ec2.amazonaws.com", "DisableKey"),
  apiCall("ec2.amazonaws.com", "CreateRoute"),
  apiCall("organizations.amazonaws.com", "AttachPolicy"),
  { eventName: "ConsoleLogin", errorMessage: "Failed authentication" },
];

describe("sameFilterPatternMeaning: equal by meaning", () => {
  it.each<[string, string, string]>([
    [
      "whitespace",
      '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
      '{($.eventName=ConsoleLogin)&&($.errorMessage="Failed authentication")}',
    ],
    [
      "term order inside ||",
      cis("4.5"),
      "{ ($.eventName = StopLogging) || ($.eventName = DeleteTrail) || ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = StartLogging) }",
    ],
    [
      "term order inside &&",
      cis("4.3"),
      '{ $.eventType != "AwsServiceEvent" && $.userIdentity.invokedBy NOT EXISTS && $.userIdentity.type = "Root" }',
    ],
    [
      "redundant parentheses",
      cis("4.3"),
      '{ (($.userIdentity.type = "Root")) && ($.userIdentity.invokedBy NOT EXISTS) && (($.eventType != "AwsServiceEvent")) }',
    ],
    [
      "regrouping one operator",
      cis("4.7"),
      "{ (($.eventSource = kms.amazonaws.com) && ($.eventName = DisableKey || $.eventName = ScheduleKeyDeletion)) }",
    ],
    [
      "nested same operator flattened",
      cis("4.1"),
      '{ ($.errorCode = "AccessDenied*" || $.errorCode = "*UnauthorizedOperation") && (($.eventName != "HeadBucket") && $.sourceIPAddress != "delivery.logs.amazonaws.com") }',
    ],
    [
      "quoting of a string value",
      cis("4.6"),
      '{ ($.eventName = "ConsoleLogin") && ($.errorMessage = "Failed authentication") }',
    ],
    [
      "a repeated term",
      cis("4.7"),
      "{ ($.eventSource = kms.amazonaws.com) && ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion) || ($.eventName = DisableKey)) }",
    ],
  ])("%s", (_what, a, b) => {
    expect(sameFilterPatternMeaning(a, b)).toBe(true);
    expect(canonicalFilterPattern(a)).toBe(canonicalFilterPattern(b));
    // The normal form is only sound if the matcher agrees on every event.
    for (const e of EVENTS) expect([e, matchesFilterPattern(a, e)]).toEqual([e, matchesFilterPattern(b, e)]);
  });
});

describe("sameFilterPatternMeaning: changed in meaning", () => {
  it.each<[string, string, string]>([
    [
      "an event name dropped",
      cis("4.5"),
      "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) }",
    ],
    ["= turned into !=", cis("4.6"), '{ ($.eventName = ConsoleLogin) && ($.errorMessage != "Failed authentication") }'],
    [
      "&& turned into ||",
      cis("4.7"),
      "{ ($.eventSource = kms.amazonaws.com) || ($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion) }",
    ],
    ["NOT EXISTS dropped", cis("4.3"), '{ $.userIdentity.type = "Root" && $.eventType != "AwsServiceEvent" }'],
    [
      "a value's case",
      cis("4.3"),
      '{ $.userIdentity.type = "root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
    ],
    [
      "a selector renamed",
      cis("4.3"),
      '{ $.userIdentity.type = "Root" && $.userIdentity.invokedby NOT EXISTS && $.eventType != "AwsServiceEvent" }',
    ],
    [
      "a wildcard narrowed",
      cis("4.1"),
      '{ (($.errorCode = "UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
    ],
    [
      "a term added",
      cis("4.6"),
      '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") && ($.awsRegion = "us-east-1") }',
    ],
    ["a bare number is not the quoted string", "{ $.x = 1 }", '{ $.x = "1" }'],
  ])("%s", (_what, a, b) => {
    expect(sameFilterPatternMeaning(a, b)).toBe(false);
  });

  it("an equivalence outside the normal form (distribution) is reported as different, never as the same", () => {
    expect(
      sameFilterPatternMeaning(
        "{ $.a = 1 && ($.b = 2 || $.c = 3) }",
        "{ ($.a = 1 && $.b = 2) || ($.a = 1 && $.c = 3) }",
      ),
    ).toBe(false);
  });

  it("a pattern it cannot parse throws FilterPatternError naming the position", () => {
    expect(() => sameFilterPatternMeaning(cis("4.3"), "{ $.eventName > 3 }")).toThrow(FilterPatternError);
  });

  it("writes the canonical form with sorted terms, bare values quoted and one pair of parentheses per operator", () => {
    expect(canonicalFilterPattern(cis("4.7"))).toBe(
      '($.eventSource = "kms.amazonaws.com" && ($.eventName = "DisableKey" || $.eventName = "ScheduleKeyDeletion"))',
    );
  });
});
