/** audit-manifest-parameter over fixture state: one change per failing case, exact statuses and messages. */
import { describe, expect, it } from "vitest";
import * as check from "../../../agent/checks/organization/audit-manifest-parameter";
import { collected, failed, type ObservedState } from "../../../agent/model";
import { MANIFEST_DIGEST_TAG, manifestDigest } from "../../../baseline";
import { cleanManifest, cleanObserved, CTX, HOME, minutesAgo, ORG, readError } from "./fixtures";

const NAME = "/orgwarden/prod/audit-manifest";
const ARN = `arn:aws:ssm:${HOME}:${ORG.security}:parameter${NAME}`;
const WRITER = `arn:aws:sts::${ORG.security}:assumed-role/OrganizationAccountAccessRole/pulumi`;
const WRITTEN = `version 3, last written by ${WRITER} at ${minutesAgo(600)}`;
const PARTS = [2, 3, 4, 5, 6].map((i) => `${NAME}/part-${i}`);
const PART_WRITTEN = `version 1, last written by ${WRITER} at ${minutesAgo(600)}`;

function param(o: ObservedState) {
  return o.manifestParameter!;
}
const run = (o: ObservedState, m = cleanManifest()) =>
  check.evaluate(o, m, CTX).map((f) => [f.status, f.severity, f.account, f.region, f.resourceArn, f.message]);

describe("audit-manifest-parameter", () => {
  it("PASS: the manifest judged with hashes to the parameter's digest tag; says what it did not read", () => {
    expect(run(cleanObserved())).toEqual([
      [
        "PASS",
        "CRITICAL",
        ORG.security,
        HOME,
        ARN,
        `The manifest this audit judges with is the one infra wrote: its SHA-256 equals the ${MANIFEST_DIGEST_TAG} tag of ${NAME} (${WRITTEN}) and of each of its 5 parts (${PARTS.join(", ")}), which PutParameter cannot change. The parameters' values are not read here (the read role is denied ssm:GetParameter*): the nightly run, which judges with those values and refuses parts that do not join to the head's digest, is the one that proves them unchanged.`,
      ],
    ]);
    const [f] = check.evaluate(cleanObserved(), cleanManifest(), CTX);
    expect(f.observed).toEqual({
      name: NAME,
      type: "String",
      version: 3,
      lastModifiedDate: minutesAgo(600),
      lastModifiedUser: WRITER,
      tags: { [MANIFEST_DIGEST_TAG]: manifestDigest(cleanManifest()) },
      judgedWithSha256: manifestDigest(cleanManifest()),
      parts: PARTS.map((name) => ({
        name,
        type: "String",
        version: 1,
        lastModifiedDate: minutesAgo(600),
        lastModifiedUser: WRITER,
        tags: { [MANIFEST_DIGEST_TAG]: manifestDigest(cleanManifest()) },
      })),
    });
  });

  it("CRITICAL FAIL: the manifest judged with was changed (delivery threshold raised to a week) while the tag still pins infra's", () => {
    const m = cleanManifest();
    const tampered = structuredClone(m);
    tampered.thresholds.deliveryMaxAgeMinutes = 10_080;
    const digest = manifestDigest(tampered);
    expect(run(cleanObserved(), tampered)).toEqual([
      [
        "FAIL",
        "CRITICAL",
        ORG.security,
        HOME,
        ARN,
        `The manifest this audit judges with (SHA-256 ${digest}) is not the one infra pinned on ${NAME} (${MANIFEST_DIGEST_TAG} = ${manifestDigest(m)}; ${WRITTEN}): the parameter was rewritten since the last \`pulumi up\`, or this run's manifest is not the stack's. Every other finding of this run was judged against it.`,
      ],
    ]);
  });

  it("CRITICAL FAIL: the digest tag is gone", () => {
    const o = cleanObserved();
    param(o).tags = collected({ ManagedBy: "orgwarden" });
    expect(run(o).map((r) => [r[0], r[5]])).toEqual([
      [
        "FAIL",
        `The parameter ${NAME} carries no ${MANIFEST_DIGEST_TAG} tag (${WRITTEN}): whether its content is the manifest infra wrote cannot be told; the tag was removed, or the parameter was not written by infra.`,
      ],
    ]);
  });

  it("CRITICAL FAIL: the parameter does not exist", () => {
    const o = cleanObserved();
    param(o).metadata = collected(undefined);
    param(o).tags = collected({});
    expect(run(o).map((r) => [r[0], r[1], r[5]])).toEqual([
      [
        "FAIL",
        "CRITICAL",
        `The audit manifest parameter ${NAME} does not exist in the security account ${ORG.security} (${HOME}): the nightly audit has no manifest to read, and nothing pins the one this audit judges with; run \`pulumi up\`.`,
      ],
    ]);
  });

  it("FAIL: the parameter turned into a SecureString", () => {
    const o = cleanObserved();
    const md = param(o).metadata;
    if (!md.ok || !md.value) throw new Error("fixture");
    md.value.type = "SecureString";
    expect(run(o).map((r) => [r[0], r[5]])).toEqual([
      ["FAIL", `The parameter ${NAME} is of type SecureString, not String.`],
    ]);
  });

  it("CRITICAL FAIL naming the part: one part deleted", () => {
    const o = cleanObserved();
    param(o).parts[1].metadata = collected(undefined);
    param(o).parts[1].tags = collected({});
    expect(run(o).map((r) => [r[0], r[1], r[5]])).toEqual([
      [
        "FAIL",
        "CRITICAL",
        `Part 3 of 6, ${PARTS[1]}, does not exist: the nightly run refuses the partial set and audits nothing; it was deleted, or never written (run \`pulumi up\`).`,
      ],
    ]);
  });

  it("CRITICAL FAIL naming the part: one part pinned to another manifest (left from another write)", () => {
    const o = cleanObserved();
    const other = manifestDigest({ ...cleanManifest(), stack: "other" });
    param(o).parts[4].tags = collected({ [MANIFEST_DIGEST_TAG]: other });
    expect(run(o).map((r) => [r[0], r[5]])).toEqual([
      [
        "FAIL",
        `Part 6 of 6, ${PARTS[4]}, is pinned to another manifest (${MANIFEST_DIGEST_TAG} = ${other}, not the head's ${manifestDigest(cleanManifest())}; ${PART_WRITTEN}): it was left from another write or re-tagged, and the nightly run refuses a set it does not belong to.`,
      ],
    ]);
  });

  it("CRITICAL FAIL: head untagged; the parts are then held to the manifest judged with", () => {
    const o = cleanObserved();
    param(o).tags = collected({});
    const m = cleanManifest();
    const judged = structuredClone(m);
    judged.thresholds.deliveryMaxAgeMinutes = 10_080;
    const [f] = check.evaluate(o, judged, CTX);
    expect(f.message).toBe(
      `The parameter ${NAME} carries no ${MANIFEST_DIGEST_TAG} tag (${WRITTEN}): whether its content is the manifest infra wrote cannot be told; the tag was removed, or the parameter was not written by infra; ` +
        PARTS.map(
          (n, i) =>
            `part ${i + 2} of 6, ${n}, is pinned to another manifest (${MANIFEST_DIGEST_TAG} = ${manifestDigest(m)}, not the SHA-256 of the manifest judged with ${manifestDigest(judged)}; ${PART_WRITTEN}): it was left from another write or re-tagged, and the nightly run refuses a set it does not belong to`,
        ).join("; ") +
        ".",
    );
  });

  it("CRITICAL FAIL naming the part: one part untagged, another turned into a SecureString", () => {
    const o = cleanObserved();
    param(o).parts[0].tags = collected({ ManagedBy: "orgwarden" });
    const md = param(o).parts[2].metadata;
    if (!md.ok || !md.value) throw new Error("fixture");
    md.value.type = "SecureString";
    expect(run(o).map((r) => [r[0], r[5]])).toEqual([
      [
        "FAIL",
        `Part 2 of 6, ${PARTS[0]}, carries no ${MANIFEST_DIGEST_TAG} tag (${PART_WRITTEN}): the tag was removed, or the part was not written by infra; part 4 of 6, ${PARTS[2]}, is of type SecureString, not String.`,
      ],
    ]);
  });

  it.each([
    ["DescribeParameters", "metadata"],
    ["ListTagsForResource", "tags"],
  ] as const)("ERROR (never PASS) when %s fails for a part", (operation, piece) => {
    const o = cleanObserved();
    param(o).parts[3][piece] = failed(readError(operation, "ssm", ORG.security, HOME));
    const [f] = check.evaluate(o, cleanManifest(), CTX);
    expect([f.status, f.error?.name, f.error?.operation]).toEqual(["ERROR", "AccessDeniedException", operation]);
  });

  it.each([
    ["DescribeParameters", "metadata"],
    ["ListTagsForResource", "tags"],
  ] as const)("ERROR (never PASS) when %s fails", (operation, piece) => {
    const o = cleanObserved();
    param(o)[piece] = failed(readError(operation, "ssm", ORG.security, HOME));
    const [f] = check.evaluate(o, cleanManifest(), CTX);
    expect([f.status, f.error?.name, f.error?.operation]).toEqual(["ERROR", "AccessDeniedException", operation]);
    expect(f.message).toBe(
      `${check.metadata.title}: not evaluated, because ${operation} was denied (AccessDeniedException: User is not authorized to perform: ssm:${operation}). Grant the audit read role ssm:${operation}, then run the audit again.`,
    );
  });

  it("ERROR when the security account could not be entered", () => {
    const o = cleanObserved();
    o.unreachableAccounts[ORG.security] = readError("AssumeRole", "sts", ORG.security, HOME, "AccessDenied");
    expect(check.evaluate(o, cleanManifest(), CTX).map((f) => f.status)).toEqual(["ERROR"]);
  });

  it("ERROR when the state carries no manifest parameter at all", () => {
    const o = cleanObserved();
    delete o.manifestParameter;
    const [f] = check.evaluate(o, cleanManifest(), CTX);
    expect([f.status, f.error?.name]).toEqual(["ERROR", "NotCollected"]);
  });
});
