import { describe, expect, it } from "vitest";
import { wildcardMatches, wildcardRegExp, type WildcardOptions } from "../../baseline/wildcard";

const IAM: WildcardOptions = {};
const IAM_NOCASE: WildcardOptions = { ignoreCase: true };
const STAR_ONLY: WildcardOptions = { questionMark: "literal" };

describe("wildcardMatches", () => {
  it.each<[string, string, WildcardOptions, boolean]>([
    // `*` at the ends, in the middle, alone, repeated; empty runs count
    ["s3:*", "s3:GetObject", IAM, true],
    ["s3:*", "s3:", IAM, true],
    ["*:GetObject", "s3:GetObject", IAM, true],
    ["arn:aws:iam::*:role/x", "arn:aws:iam::111111111111:role/x", IAM, true],
    ["arn:aws:iam::*:role/x", "arn:aws:iam::111111111111:role/y", IAM, false],
    ["*", "", IAM, true],
    ["*", "anything at all", IAM, true],
    ["a**b", "ab", IAM, true],
    ["a*b*c", "a-b-c", IAM, true],
    ["a*b*c", "a-c-b", IAM, false],
    // anchored at both ends
    ["Stop", "StopLogging", IAM, false],
    ["Logging", "StopLogging", IAM, false],
    // the empty pattern matches only the empty value
    ["", "", IAM, true],
    ["", "x", IAM, false],
    // `?` is exactly one character in IAM
    ["Stop?ogging", "StopLogging", IAM, true],
    ["Stop?ogging", "Stopogging", IAM, false],
    ["Stop?ogging", "StopXXogging", IAM, false],
    ["??", "ab", IAM, true],
    ["??", "a", IAM, false],
    // ... and itself where only `*` is a wildcard
    ["Stop?ogging", "StopLogging", STAR_ONLY, false],
    ["what?", "what?", STAR_ONLY, true],
    ["Delete*", "DeleteTrail", STAR_ONLY, true],
    // `*` and `?` span line terminators: neither IAM nor CloudWatch Logs has lines
    ["a*b", "a\nb", IAM, true],
    ["a?b", "a\rb", IAM, true],
    ["a*b", "a\u2028b", STAR_ONLY, true],
    // case: sensitive by default (ARNs), insensitive when asked (actions)
    ["cloudtrail:StopLogging", "CloudTrail:stoplogging", IAM, false],
    ["CLOUDTRAIL:stop*", "cloudtrail:StopLogging", IAM_NOCASE, true],
    ["cloudtrail:stop?ogging", "CLOUDTRAIL:STOPLOGGING", IAM_NOCASE, true],
    ["Delete*", "deleteTrail", STAR_ONLY, false],
    ["Delete*", "deleteTrail", { questionMark: "literal", ignoreCase: true }, true],
  ])("%j ~ %j %j → %s", (pattern, value, options, expected) => {
    expect(wildcardMatches(pattern, value, options)).toBe(expected);
  });

  // Every regex metacharacter other than the wildcards matches itself and nothing else.
  const metas = ["\\", "^", "$", ".", "|", "+", "(", ")", "[", "]", "{", "}"];
  it.each(metas)("metacharacter %s is literal", (m) => {
    expect(wildcardMatches(`a${m}b`, `a${m}b`)).toBe(true);
    expect(wildcardMatches(`a${m}b`, "aXb")).toBe(false);
    expect(wildcardMatches(`a${m}b`, "ab")).toBe(false);
    expect(wildcardMatches(`${m}*`, `${m}tail`)).toBe(true);
    expect(wildcardMatches(`${m}*`, "tail")).toBe(false);
  });

  it.each<[string, string, boolean]>([
    ["a.b", "aXb", false],
    ["a.*", "aXYZ", false],
    ["a.*", "a.XYZ", true],
    ["(a|b)", "a", false],
    ["(a|b)", "(a|b)", true],
    ["[ab]", "a", false],
    ["[ab]", "[ab]", true],
    ["a{2}", "aa", false],
    ["a{2}", "a{2}", true],
    ["a+", "aa", false],
    ["^a$", "a", false],
    ["\\d", "1", false],
    ["\\d", "\\d", true],
    ["\\*", "\\anything", true],
  ])("regex syntax in %j is not regex syntax: %j → %s", (pattern, value, expected) => {
    expect(wildcardMatches(pattern, value)).toBe(expected);
  });

  it.each<[string, WildcardOptions, string]>([
    ["s3:Get*", IAM, "^s3:Get[^]*$"],
    ["a?b", IAM, "^a[^]b$"],
    ["a?b", STAR_ONLY, "^a\\?b$"],
    ["a.b", IAM, "^a\\.b$"],
    ["", IAM, "^$"],
  ])("wildcardRegExp(%j, %j) is /%s/", (pattern, options, source) => {
    expect(wildcardRegExp(pattern, options).source).toBe(source);
    expect(wildcardRegExp(pattern, options).flags).toBe("");
  });

  it("ignoreCase sets the i flag and nothing else", () => {
    expect(wildcardRegExp("x", IAM_NOCASE).flags).toBe("i");
  });
});
