import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CreateBucketCommand, ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { MOTO_CREDENTIALS, resetMoto, startMoto, useMoto } from "./moto";
import { CreateKeyCommand, GetPublicKeyCommand, KMSClient, SignCommand, VerifyCommand } from "@aws-sdk/client-kms";
import { DescribeImagesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { launchMoto, motoEnv, spawnMoto } from "../../agent/sandbox/moto-server";
import { runProcess } from "./run";

const s3 = (endpoint: string) =>
  new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials: MOTO_CREDENTIALS });

describe("moto server helper", () => {
  const moto = useMoto();

  it("answers AWS calls on a loopback endpoint with the default account", async () => {
    expect(moto.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const sts = new STSClient({ endpoint: moto.endpoint, region: "us-east-1", credentials: MOTO_CREDENTIALS });
    const me = await sts.send(new GetCallerIdentityCommand({}));
    expect(me.Account).toBe("123456789012");
  });

  it("reuses one server per worker", async () => {
    const again = await startMoto();
    expect(again.endpoint).toBe(moto.endpoint);
  });

  it("reset drops what was created before it", async () => {
    const client = s3(moto.endpoint);
    await client.send(new CreateBucketCommand({ Bucket: "before-reset" }));
    expect((await client.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toEqual(["before-reset"]);
    await resetMoto(moto.endpoint);
    expect((await client.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
  });

  it("a bucket created in the previous test is gone (beforeEach reset)", async () => {
    await s3(moto.endpoint).send(new CreateBucketCommand({ Bucket: "only-this-test" }));
    expect((await s3(moto.endpoint).send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toEqual([
      "only-this-test",
    ]);
  });

  it("runs moto in UTC without a fixed account id", () => {
    const env = motoEnv({ MOTO_ACCOUNT_ID: "999999999999", TZ: "Europe/Paris", PATH: "/bin" });
    expect(env.TZ).toBe("UTC");
    expect("MOTO_ACCOUNT_ID" in env).toBe(false);
    expect(env.PATH).toBe("/bin");
  });

  it("runs without moto's default AMIs (nothing here reads an image; loading them cost 14% of a seed)", async () => {
    expect(motoEnv({}).MOTO_EC2_LOAD_DEFAULT_AMIS).toBe("false");
    const ec2 = new EC2Client({ endpoint: moto.endpoint, region: "us-east-1", credentials: MOTO_CREDENTIALS });
    expect((await ec2.send(new DescribeImagesCommand({ Owners: ["amazon"] }))).Images ?? []).toEqual([]);
  });

  it("moto_server.py: both speed changes apply to the pinned moto, and a deferred private key still signs, verifies and gives its public key", async () => {
    const m = await launchMoto();
    try {
      await m.ready;
      const kms = new KMSClient({ endpoint: m.endpoint, region: "us-east-1", credentials: MOTO_CREDENTIALS });
      const id = (await kms.send(new CreateKeyCommand({ KeySpec: "RSA_2048", KeyUsage: "SIGN_VERIFY" }))).KeyMetadata!
        .KeyId!;
      const Message = Buffer.from("digest");
      const sig = await kms.send(
        new SignCommand({ KeyId: id, Message, SigningAlgorithm: "RSASSA_PKCS1_V1_5_SHA_256" }),
      );
      const verified = await kms.send(
        new VerifyCommand({
          KeyId: id,
          Message,
          Signature: sig.Signature,
          SigningAlgorithm: "RSASSA_PKCS1_V1_5_SHA_256",
        }),
      );
      expect(verified.SignatureValid).toBe(true);
      const pub = await kms.send(new GetPublicKeyCommand({ KeyId: id }));
      // The public key of the key that signed: node verifies the signature with it.
      const { createPublicKey, verify } = await import("node:crypto");
      const key = createPublicKey({ key: Buffer.from(pub.PublicKey!), format: "der", type: "spki" });
      expect(verify("sha256", Message, key, Buffer.from(sig.Signature!))).toBe(true);
      // A symmetric key is created without one and still works as before.
      await kms.send(new CreateKeyCommand({}));
      expect(m.stderrTail()).not.toContain("orgwarden: moto");
    } finally {
      await m.stop();
    }
  });

  it("says how to install moto when the virtualenv is missing", async () => {
    await expect(spawnMoto({ root: "/nonexistent-orgwarden" })).rejects.toThrow(
      "moto server is not available: /nonexistent-orgwarden/.venv/bin/moto_server does not exist. Run: bash scripts/setup-python.sh (needs Python ≥ 3.10)",
    );
  });

  it("stops the server when the process that started it exits", async () => {
    const child = await runProcess(
      process.execPath,
      ["--import", "tsx", join(__dirname, "fixtures", "moto-orphan.ts")],
      {},
    );
    expect(child.status).toBe(0);
    const pid = Number(child.stdout.trim());
    expect(pid).toBeGreaterThan(0);
    // SIGTERM was sent from the exit hook; wait (bounded) for moto to finish exiting.
    let alive = true;
    for (let i = 0; i < 100 && alive; i += 1) {
      try {
        process.kill(pid, 0);
        await new Promise((r) => setTimeout(r, 100));
      } catch (e) {
        alive = (e as NodeJS.ErrnoException).code !== "ESRCH";
      }
    }
    expect(alive).toBe(false);
  });
});

describe('moto server helper, reset: "file"', () => {
  const moto = useMoto({ reset: "file" });

  it("the file starts on a reset server", async () => {
    expect((await s3(moto.endpoint).send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    await s3(moto.endpoint).send(new CreateBucketCommand({ Bucket: "kept-for-the-file" }));
  });

  it("what an earlier test of the file created is still there (no reset between tests)", async () => {
    expect((await s3(moto.endpoint).send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toEqual([
      "kept-for-the-file",
    ]);
  });
});
