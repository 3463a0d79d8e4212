/**
 * The one wildcard matcher. Every place that matches a pattern with `*` against a name — IAM
 * actions, ARNs and condition values, the config's exemption patterns, the KMS grant allow-list,
 * CloudWatch Logs filter-pattern values — compiles it here, so escaping is written once.
 *
 * Semantics: `*` matches any run of characters (also empty, also line terminators: IAM and
 * CloudWatch Logs say "any combination of characters" and know no lines), every character other
 * than the wildcards matches itself (regex metacharacters included), and the whole value must match.
 * What differs between callers is expressed as an option, each default being IAM's.
 */
export interface WildcardOptions {
  /**
   * Compare case-insensitively. IAM compares action names (`s3:GetObject` = `S3:getobject`) and the
   * `...IgnoreCase` condition operators without case, ARNs and the other operators with it.
   * Default false.
   */
  ignoreCase?: boolean;
  /**
   * What `?` means. IAM: one character ("one-character", the default). CloudWatch Logs JSON filter
   * values and the manifest's grant allow-list know only `*`, so there `?` is itself ("literal").
   */
  questionMark?: "one-character" | "literal";
}

const METACHARACTERS = /[\\^$.|?*+()[\]{}]/g;

/** The anchored expression a pattern compiles to. */
export function wildcardRegExp(pattern: string, options: WildcardOptions = {}): RegExp {
  const singleChar = (options.questionMark ?? "one-character") === "one-character";
  let source = "";
  for (const ch of pattern) {
    if (ch === "*") source += "[^]*";
    else if (ch === "?" && singleChar) source += "[^]";
    else source += ch.replace(METACHARACTERS, "\\$&");
  }
  return new RegExp(`^${source}$`, options.ignoreCase ? "i" : "");
}

/** True when `value` is matched by `pattern` as a whole. */
export function wildcardMatches(pattern: string, value: string, options: WildcardOptions = {}): boolean {
  return wildcardRegExp(pattern, options).test(value);
}
