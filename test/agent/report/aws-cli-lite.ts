/**
 * Runs a remediation command as a person would paste it into a shell in the report directory, for
 * the few `aws` commands whose effect the tests check. There is no AWS CLI here, so the command
 * line is split into words as a POSIX shell splits it (spaces, single and double quotes, `;`
 * between commands; any other unquoted shell metacharacter is refused, since a real shell would
 * act on it), `file://<path>` is read relative to the directory as the CLI reads it, and the call
 * goes to moto through the SDK with exactly the arguments the command names.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PutEventSelectorsCommand, CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { PutKeyPolicyCommand, RevokeGrantCommand, KMSClient } from "@aws-sdk/client-kms";
import { AttachPolicyCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { PutBucketPolicyCommand, S3Client } from "@aws-sdk/client-s3";
import type { Sandbox } from "../../../agent/sandbox/seed";

/** The commands of a line, each as its words. */
export function shellWords(line: string): string[][] {
  const commands: string[][] = [[]];
  let word: string | undefined;
  let i = 0;
  const push = () => {
    if (word !== undefined) commands[commands.length - 1].push(word);
    word = undefined;
  };
  while (i < line.length) {
    const c = line[i];
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      if (end === -1) throw new Error(`unterminated ${c} in: ${line}`);
      word = (word ?? "") + line.slice(i + 1, end);
      i = end + 1;
    } else if (c === " ") {
      push();
      i += 1;
    } else if (c === ";") {
      push();
      commands.push([]);
      i += 1;
    } else if ("|&<>#$`\\(){}*?[]!".includes(c)) {
      throw new Error(`unquoted shell metacharacter ${JSON.stringify(c)} at ${i} in: ${line}`);
    } else {
      word = (word ?? "") + c;
      i += 1;
    }
  }
  push();
  return commands.filter((c) => c.length > 0);
}

function flags(words: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < words.length; i += 1)
    if (words[i].startsWith("--")) out[words[i].slice(2)] = words[i + 1]?.startsWith("--") ? "" : (words[i + 1] ?? "");
  return out;
}

/** The CLI's file:// rule: the rest is a path, relative to the working directory. */
function value(v: string, cwd: string): string {
  return v.startsWith("file://") ? readFileSync(join(cwd, v.slice("file://".length)), "utf8") : v;
}

/** Runs every command of `line`; returns "service verb" of each, in order. */
export async function runAwsCli(line: string, cwd: string, sb: Sandbox): Promise<string[]> {
  const done: string[] = [];
  for (const words of shellWords(line)) {
    const [aws, service, verb, ...rest] = words;
    if (aws !== "aws") throw new Error(`not an aws command: ${words.join(" ")}`);
    const f = flags(rest);
    const region = f.region ?? sb.region;
    const v = (name: string) => {
      if (!(name in f)) throw new Error(`aws ${service} ${verb}: --${name} is missing`);
      return value(f[name], cwd);
    };
    switch (`${service} ${verb}`) {
      case "s3api put-bucket-policy": {
        const s3 = await sb.session.client(S3Client, sb.accounts.logArchive, region);
        await s3.send(new PutBucketPolicyCommand({ Bucket: v("bucket"), Policy: v("policy") }));
        break;
      }
      case "kms put-key-policy": {
        const kms = await sb.session.client(KMSClient, sb.accounts.security, region);
        await kms.send(
          new PutKeyPolicyCommand({ KeyId: v("key-id"), PolicyName: v("policy-name"), Policy: v("policy") }),
        );
        break;
      }
      case "kms revoke-grant": {
        const kms = await sb.session.client(KMSClient, sb.accounts.security, region);
        await kms.send(new RevokeGrantCommand({ KeyId: v("key-id"), GrantId: v("grant-id") }));
        break;
      }
      case "organizations attach-policy": {
        const org = await sb.session.client(OrganizationsClient, sb.accounts.management, region);
        await org.send(new AttachPolicyCommand({ PolicyId: v("policy-id"), TargetId: v("target-id") }));
        break;
      }
      case "cloudtrail put-event-selectors": {
        const ct = await sb.session.client(CloudTrailClient, sb.accounts.management, region);
        await ct.send(
          new PutEventSelectorsCommand({
            TrailName: v("trail-name"),
            AdvancedEventSelectors: JSON.parse(v("advanced-event-selectors")),
          }),
        );
        break;
      }
      default:
        // Read-only or not exercised: parsed (so its quoting is checked) but not run.
        done.push(`${service} ${verb} (not run)`);
        continue;
    }
    done.push(`${service} ${verb}`);
  }
  return done;
}
