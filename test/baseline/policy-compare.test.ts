import { describe, expect, it } from "vitest";
import { archiveBucketPolicy, type PolicyDocument, type Statement } from "../../baseline";
import { comparePolicies, describeDrift, foreignPrincipals, normalizeStatement } from "../../baseline/policy-compare";

const ORG = "o-a1b2c3d4e5";
const TRUSTED = { orgId: ORG, accountIds: ["111111111111", "222222222222", "333333333333"] };
const doc = (...s: Statement[]): PolicyDocument => ({ Version: "2012-10-17", Statement: s });

const read: Statement = {
  Sid: "AuditorRead",
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::333333333333:root" },
  Action: ["s3:GetObject", "s3:ListBucket"],
  Resource: ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"],
  Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::333333333333:role/auditor" } },
};
const tls: Statement = {
  Sid: "DenyInsecureTransport",
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
};
const intended = doc(tls, read);

describe("comparePolicies: spelling is not drift", () => {
  const same: [string, PolicyDocument][] = [
    ["statements in another order", doc(read, tls)],
    ["actions in another order and case", doc(tls, { ...read, Action: ["S3:ListBucket", "s3:getobject"] })],
    ["a one-element array instead of a string", doc({ ...tls, Action: ["s3:*"] }, read)],
    ['{ AWS: "*" } instead of "*"', doc({ ...tls, Principal: { AWS: "*" } }, read)],
    [
      'a boolean instead of the string "false"',
      doc({ ...tls, Condition: { Bool: { "aws:SecureTransport": false } } }, read),
    ],
    ["a condition key in other case", doc({ ...tls, Condition: { Bool: { "AWS:SecureTransport": "false" } } }, read)],
    ["a bare account id instead of its root ARN", doc(tls, { ...read, Principal: { AWS: ["333333333333"] } })],
    ["resources in another order", doc({ ...tls, Resource: ["arn:aws:s3:::logs/*", "arn:aws:s3:::logs"] }, read)],
    ["another Id", { ...doc(tls, read), Id: "other" }],
  ];
  it.each(same)("%s", (_name, observed) => {
    expect(comparePolicies(intended, observed)).toEqual({ equal: true, added: [], removed: [], changed: [] });
  });

  it("matches Sid-less statements by meaning, whatever their order", () => {
    const a = { ...tls, Sid: undefined };
    const b = { ...read, Sid: undefined };
    expect(comparePolicies(doc(a, b), doc(b, a)).equal).toBe(true);
  });

  it("the real archive bucket policy equals a reordered, re-cased copy of itself", () => {
    const p = archiveBucketPolicy({
      bucketName: "logs",
      orgId: ORG,
      managementAccountId: "111111111111",
      trailArn: "arn:aws:cloudtrail:us-east-1:111111111111:trail/t",
      securityAccountId: "333333333333",
      auditorRoleNames: ["auditor"],
    });
    const shuffled = doc(
      ...[...p.Statement].reverse().map((s) => ({
        ...s,
        Action: Array.isArray(s.Action) ? [...s.Action].reverse().map((x) => x.toUpperCase()) : s.Action,
      })),
    );
    expect(comparePolicies(p, shuffled).equal).toBe(true);
  });
});

describe("comparePolicies: meaning changes are drift", () => {
  it("reports an added statement with its Sid and principal", () => {
    const extra: Statement = {
      Sid: "Backdoor",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::999999999999:root" },
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:::logs/*",
    };
    expect(comparePolicies(intended, doc(tls, read, extra))).toEqual({
      equal: false,
      added: [
        {
          sid: "Backdoor",
          principals: ["AWS:arn:aws:iam::999999999999:root"],
          fields: ["Effect", "Principal", "Action", "Resource"],
          observed: {
            sid: "Backdoor",
            effect: "Allow",
            principal: { AWS: ["arn:aws:iam::999999999999:root"] },
            action: ["s3:getobject"],
            resource: ["arn:aws:s3:::logs/*"],
          },
          observedStatement: extra,
        },
      ],
      removed: [],
      changed: [],
    });
  });

  it("reports a removed statement", () => {
    const d = comparePolicies(intended, doc(read));
    expect(d.equal).toBe(false);
    expect(d.added).toEqual([]);
    expect(d.changed).toEqual([]);
    expect(d.removed).toEqual([
      {
        sid: "DenyInsecureTransport",
        principals: ["AWS:*"],
        fields: ["Effect", "Principal", "Action", "Resource", "Condition"],
        intended: normalizeStatement(tls),
        intendedStatement: tls,
      },
    ]);
    expect(describeDrift("removed", d.removed[0])).toBe('removed statement "DenyInsecureTransport" for AWS:*');
  });

  it("reports a changed condition value as a change of that statement", () => {
    const observed = doc(tls, {
      ...read,
      Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::333333333333:role/*" } },
    });
    const d = comparePolicies(intended, observed);
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([]);
    expect(d.changed).toHaveLength(1);
    expect(d.changed[0].sid).toBe("AuditorRead");
    expect(d.changed[0].fields).toEqual(["Condition"]);
    expect(d.changed[0].intended?.condition).toEqual({
      ArnLike: { "aws:principalarn": ["arn:aws:iam::333333333333:role/auditor"] },
    });
    expect(d.changed[0].observed?.condition).toEqual({
      ArnLike: { "aws:principalarn": ["arn:aws:iam::333333333333:role/*"] },
    });
    expect(d.changed[0].principalsAdded).toEqual([]);
    // Reports show the statements as written, not their normalized form.
    expect(d.changed[0].intendedStatement).toBe(read);
    expect(d.changed[0].observedStatement).toBe(observed.Statement[1]);
    expect(describeDrift("changed", d.changed[0])).toBe('changed statement "AuditorRead" (Condition)');
  });

  it("reports a principal added to an existing statement, naming it", () => {
    const observed = doc(tls, {
      ...read,
      Principal: { AWS: ["arn:aws:iam::333333333333:root", "arn:aws:iam::999999999999:root"] },
    });
    const d = comparePolicies(intended, observed);
    expect(d.changed).toHaveLength(1);
    expect(d.changed[0]).toMatchObject({
      sid: "AuditorRead",
      fields: ["Principal"],
      principals: ["AWS:arn:aws:iam::333333333333:root", "AWS:arn:aws:iam::999999999999:root"],
      principalsAdded: ["AWS:arn:aws:iam::999999999999:root"],
      principalsRemoved: [],
    });
    expect(describeDrift("changed", d.changed[0])).toBe(
      'changed statement "AuditorRead" (Principal): principal added AWS:arn:aws:iam::999999999999:root',
    );
  });

  it("reports an Effect flip on a Sid-less statement as one removed and one added", () => {
    const a = { ...tls, Sid: undefined };
    const d = comparePolicies(doc(a), doc({ ...a, Effect: "Allow" }));
    expect(d.removed.map((x) => x.intended?.effect)).toEqual(["Deny"]);
    expect(d.added.map((x) => x.observed?.effect)).toEqual(["Allow"]);
    expect(describeDrift("added", d.added[0])).toBe("added Sid-less statement for AWS:*");
  });
});

describe("foreignPrincipals", () => {
  const allow = (principal: Statement["Principal"], condition?: Statement["Condition"]): PolicyDocument =>
    doc({
      Sid: "S",
      Effect: "Allow",
      Principal: principal,
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:::logs/*",
      ...(condition ? { Condition: condition } : {}),
    });

  const cases: [string, PolicyDocument, { principal: string; reason: string }[]][] = [
    ["an organization account", allow({ AWS: "arn:aws:iam::333333333333:role/auditor" }), []],
    ["a service principal", allow({ Service: "cloudtrail.amazonaws.com" }), []],
    [
      "an outside account",
      allow({ AWS: "999999999999" }),
      [
        {
          principal: "AWS:arn:aws:iam::999999999999:root",
          reason: "account 999999999999 is not an account of organization o-a1b2c3d4e5",
        },
      ],
    ],
    ["* limited to the organization", allow("*", { StringEquals: { "aws:PrincipalOrgID": ORG } }), []],
    [
      "* limited to an org account's role",
      allow("*", { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::333333333333:role/x" } }),
      [],
    ],
    [
      "* limited to another organization",
      allow("*", { StringEquals: { "aws:PrincipalOrgID": "o-zzzzzzzzzz" } }),
      [
        {
          principal: "AWS:*",
          reason:
            "anyone (*) without a condition limiting it to the organization (aws:PrincipalOrgID, aws:SourceArn, aws:PrincipalArn, aws:SourceAccount)",
        },
      ],
    ],
    [
      "* with only a negated condition",
      allow("*", { StringNotEquals: { "aws:PrincipalOrgID": ORG } }),
      [
        {
          principal: "AWS:*",
          reason:
            "anyone (*) without a condition limiting it to the organization (aws:PrincipalOrgID, aws:SourceArn, aws:PrincipalArn, aws:SourceAccount)",
        },
      ],
    ],
    [
      "a canonical user",
      allow({ CanonicalUser: "abc123" }),
      [
        {
          principal: "CanonicalUser:abc123",
          reason: "a canonical user id cannot be tied to an account of the organization",
        },
      ],
    ],
  ];
  it.each(cases)("%s", (_n, d, expected) => {
    expect(foreignPrincipals(d, TRUSTED).map(({ principal, reason }) => ({ principal, reason }))).toEqual(expected);
  });

  it("ignores Deny statements, whose * grants nothing", () => {
    expect(foreignPrincipals(doc(tls), TRUSTED)).toEqual([]);
  });

  it("finds none in the baseline archive bucket policy", () => {
    const p = archiveBucketPolicy({
      bucketName: "logs",
      orgId: ORG,
      managementAccountId: "111111111111",
      trailArn: "arn:aws:cloudtrail:us-east-1:111111111111:trail/t",
      securityAccountId: "333333333333",
      auditorRoleNames: ["auditor"],
    });
    expect(foreignPrincipals(p, TRUSTED)).toEqual([]);
  });
});
