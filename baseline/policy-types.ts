/** IAM policy grammar shared by every document the baseline builds. */
export type Effect = "Allow" | "Deny";

export type PrincipalBlock = {
  AWS?: string | string[];
  Service?: string | string[];
  Federated?: string | string[];
  CanonicalUser?: string | string[];
};

export type Principal = "*" | PrincipalBlock;

/** Condition operator → condition key → value(s). */
export type ConditionBlock = Record<string, Record<string, string | string[] | boolean | number>>;

export interface Statement {
  Sid?: string;
  Effect: Effect;
  Principal?: Principal;
  NotPrincipal?: Principal;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: ConditionBlock;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Id?: string;
  Statement: Statement[];
}

export function policy(statements: Statement[], id?: string): PolicyDocument {
  return id
    ? { Version: "2012-10-17", Id: id, Statement: statements }
    : { Version: "2012-10-17", Statement: statements };
}

/** Minified JSON, the form AWS measures against its size limits. */
export function minify(doc: PolicyDocument): string {
  return JSON.stringify(doc);
}

export function asArray<T>(v: T | T[] | undefined): T[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}
