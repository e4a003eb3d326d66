// The admin CLI as an operator runs it: the compiled functions/lib/admin/cli.js in its own process,
// against the emulators. Build first (`npx tsc -b functions`); the emulator test script does.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getAuth } from "firebase-admin/auth";
import { Timestamp } from "firebase-admin/firestore";
import { COLLECTIONS, type MetagraphSnapshot, type Neuron } from "consensus-core";
import { hashApiKey, keyIdOf } from "../../../src/http/apiKeys";
import { cli, requireBuiltCli } from "../../support/admin-cli";
import { adminDb, clearFirestore, countDocs, keypair, postLeads } from "../../support/emulator";

let dir: string;
beforeAll(() => {
  requireBuiltCli();
  dir = mkdtempSync(join(tmpdir(), "admin-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(async () => {
  await clearFirestore();
});

function writeSnapshot(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return file;
}

async function neuronOf(uri: string, uid: number, trust: number, permit: boolean): Promise<Neuron> {
  return {
    uid,
    hotkey: (await keypair(uri)).address,
    coldkey: (await keypair(`${uri}//cold`)).address,
    stake: 500,
    validator_trust: trust,
    validator_permit: permit,
    active: true,
    is_serving: true,
    axon: { ip: "10.1.1.1", port: 8091 + uid },
  };
}

async function registryDump() {
  const docs = (await adminDb().collection(COLLECTIONS.registry).get()).docs;
  return Object.fromEntries(
    docs.map((d) => [d.id, { data: d.data(), updated: d.updateTime.toMillis() }]),
  );
}

describe("usage", () => {
  it.each<[string, string[], RegExp]>([
    ["no command", [], /no command given/],
    ["an unknown command", ["sync-metagraf"], /unknown command 'sync-metagraf'/],
    [
      "sync-metagraph without --file",
      ["sync-metagraph", "--emulator"],
      /--file <snapshot.json> or --chain <ws url> --netuid <n> is required/,
    ],
    ["an unknown option", ["sync-metagraph", "--fiel", "x.json"], /Unknown option '--fiel'/],
    ["--file without a value", ["sync-metagraph", "--file"], /--file/],
    ["a stray argument", ["create-api-key", "--client", "a", "extra"], /create-api-key:/],
    ["create-api-key without --client", ["create-api-key"], /--client <id> is required/],
    ["a bad client id", ["create-api-key", "--client", "no spaces allowed"], /--client must be/],
    [
      "grant-operator with --create and --existing",
      ["grant-operator", "--email", "a@example.com", "--create", "--existing"],
      /--create and --existing exclude each other/,
    ],
    [
      "grant-operator without --create, --existing or --revoke",
      ["grant-operator", "--email", "a@example.com"],
      /--create \(a new account\), --existing \(a verified one\) or --revoke/,
    ],
  ])("exit 2 with the usage text for %s", async (_name, args, message) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain("Usage: npm run admin -- <command> [options]");
    expect(run.stdout).toBe("");
  });

  it("help prints the usage text and exits 0", async () => {
    for (const args of [["help"], ["--help"], ["sync-metagraph", "-h"]]) {
      const run = await cli(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(
        "sync-metagraph --file <snapshot.json> | --chain <ws url> --netuid <n> [--dry-run]",
      );
      expect(run.stdout).toContain("create-api-key --client <id> [--label <text>]");
      expect(run.stdout).toContain("--emulator");
    }
  });

  it("without --emulator and without a project it refuses (exit 2) and touches nothing", async () => {
    const key = await cli(["create-api-key", "--client", "nobody"]);
    expect(key.code).toBe(2);
    expect(key.stderr).toContain("no project: set GOOGLE_CLOUD_PROJECT");
    expect(await countDocs(COLLECTIONS.apiKeys)).toBe(0);
  });
});

describe("sync-metagraph", () => {
  it("syncs, reports the changes, and refuses a malformed snapshot naming the entry", async () => {
    const alice = await neuronOf("//Alice", 0, 0.8, true);
    const bob = await neuronOf("//Bob", 1, 0.2, true);
    const ferdie = await neuronOf("//Ferdie", 10, 0, false);
    const first: MetagraphSnapshot = { netuid: 71, block: 1000, neurons: [alice, bob, ferdie] };
    const run1 = await cli([
      "sync-metagraph",
      "--file",
      writeSnapshot("s1.json", first),
      "--emulator",
    ]);
    expect(run1.stderr).toBe("");
    expect(run1.code).toBe(0);
    expect(run1.stdout).toContain(
      "Target: project demo-consensus (Firestore emulator at 127.0.0.1:8080)",
    );
    expect(run1.stdout).toContain(
      "Metagraph netuid 71 at block 1000: 3 neurons (2 validators, 1 miner)",
    );
    expect(run1.stdout).toContain("Added (3):");
    expect(run1.stdout).toMatch(new RegExp(`\\+ uid 0 +${alice.hotkey}  validator  trust 0.8`));
    expect(run1.stdout).toContain(
      "Summary: 3 added, 0 removed, 0 updated (0 trust changed), 0 unchanged; " +
        "3 registry documents written in 1 batch.",
    );
    expect(Object.keys(await registryDump()).sort()).toEqual(
      [alice.hotkey, bob.hotkey, ferdie.hotkey].sort(),
    );

    // Second snapshot: Alice 0.8 → 0.6, Charlie joins, Ferdie leaves. Dry run first.
    const charlie = await neuronOf("//Charlie", 2, 0.5, true);
    const second: MetagraphSnapshot = {
      netuid: 71,
      block: 1100,
      neurons: [{ ...alice, validator_trust: 0.6 }, bob, charlie],
    };
    const file2 = writeSnapshot("s2.json", second);
    const before = await registryDump();
    const dry = await cli(["sync-metagraph", "--file", file2, "--dry-run", "--emulator"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("(dry run)");
    expect(dry.stdout).toContain(
      "dry run: 3 registry documents would be written, nothing was written",
    );
    expect(await registryDump()).toEqual(before);

    const run2 = await cli(["sync-metagraph", "--file", file2, "--emulator"]);
    expect(run2.code).toBe(0);
    const out = run2.stdout;
    expect(out).toContain("Previous sync: netuid 71 at block 1000");
    expect(out).toMatch(
      new RegExp(`Added \\(1\\):\\n  \\+ uid 2 +${charlie.hotkey}  validator  trust 0.5`),
    );
    expect(out).toMatch(new RegExp(`Removed \\(1\\):\\n  - uid 10 +${ferdie.hotkey}  was miner`));
    expect(out).toMatch(
      new RegExp(`Trust changed \\(1\\):\\n  ~ uid 0 +${alice.hotkey}  0.8 → 0.6`),
    );
    expect(out).toContain(
      "Summary: 1 added, 1 removed, 1 updated (1 trust changed), 1 unchanged; " +
        "3 registry documents written in 1 batch.",
    );
    const after = await registryDump();
    expect(after[bob.hotkey]).toEqual(before[bob.hotkey]);
    expect(after[alice.hotkey].data.validator_trust).toBe(0.6);
    expect(after[ferdie.hotkey].data).toMatchObject({ role: null, is_serving: false });

    // Malformed: exit 1, each bad entry named on stderr, nothing written.
    const bad = {
      netuid: 71,
      block: 1200,
      neurons: [alice, { ...bob, validator_trust: 1.2 }, { ...charlie, uid: 0 }],
    };
    const run3 = await cli([
      "sync-metagraph",
      "--file",
      writeSnapshot("bad.json", bad),
      "--emulator",
    ]);
    expect(run3.code).toBe(1);
    expect(run3.stdout).toBe("");
    expect(run3.stderr).toContain("invalid metagraph snapshot");
    expect(run3.stderr).toContain("nothing was written");
    expect(run3.stderr).toContain("neurons[1].validator_trust: must be <= 1");
    const run4 = await cli([
      "sync-metagraph",
      "--file",
      writeSnapshot("dup.json", { ...bad, neurons: [alice, bob, { ...charlie, uid: 0 }] }),
      "--emulator",
    ]);
    expect(run4.code).toBe(1);
    expect(run4.stderr).toContain("neurons[2].uid: duplicate of neurons[0].uid");
    const run5 = await cli([
      "sync-metagraph",
      "--file",
      writeSnapshot("x.json", "{"),
      "--emulator",
    ]);
    expect(run5.code).toBe(1);
    expect(run5.stderr).toContain("(snapshot): is not valid JSON");
    expect(await registryDump()).toEqual(after);
  });

  it("exits 1 for a missing file and for an older block (unless --force); --json is parseable", async () => {
    const missing = await cli(["sync-metagraph", "--file", join(dir, "nope.json"), "--emulator"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("cannot read");
    expect(missing.stderr).toContain("ENOENT");

    const alice = await neuronOf("//Alice", 0, 0.8, true);
    const file = writeSnapshot("j.json", { netuid: 71, block: 1000, neurons: [alice] });
    const json = await cli(["sync-metagraph", "--file", file, "--json", "--emulator"]);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ netuid: 71, block: 1000, written: 1, dry_run: false });
    expect(report.added[0]).toMatchObject({ hotkey: alice.hotkey, role: "validator" });

    const older = writeSnapshot("old.json", {
      netuid: 71,
      block: 900,
      neurons: [{ ...alice, validator_trust: 0.3 }],
    });
    const refused = await cli(["sync-metagraph", "--file", older, "--emulator"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("older than the last synced block 1000");
    expect(refused.stderr).toContain("--force");
    const forced = await cli(["sync-metagraph", "--file", older, "--force", "--emulator"]);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain("0.8 → 0.3");
  });
});

describe("create-api-key", () => {
  it("prints a key once, stores only its hash, and the key works against the API", async () => {
    const run = await cli([
      "create-api-key",
      "--client",
      "cli-client",
      "--label",
      "made by the CLI test",
      "--emulator",
    ]);
    expect(run.code).toBe(0);
    const key = run.stdout.trim();
    expect(run.stdout.split("\n").filter(Boolean)).toEqual([key]);
    expect(key).toMatch(/^lpk_[A-Za-z0-9_-]{43}$/);
    expect(run.stderr).toContain("not stored");
    // Named by its key id (what list-, disable- and rotate-api-key take), not its stored hash.
    expect(run.stderr).toContain(`key id: ${keyIdOf(hashApiKey(key))}`);
    expect(run.stderr).not.toContain(hashApiKey(key));
    expect(run.stderr).not.toContain(key);
    // The webhook secret: once, on stderr, and stored (server-side only) to sign deliveries.
    const secret = /Webhook secret[^:]*: (whsec_[A-Za-z0-9_-]{43})\n/.exec(run.stderr)?.[1];
    expect(secret).toBeDefined();
    expect(run.stdout).not.toContain(secret);

    const stored = await adminDb().collection(COLLECTIONS.apiKeys).doc(hashApiKey(key)).get();
    expect(stored.data()).toMatchObject({
      client_id: "cli-client",
      label: "made by the CLI test",
      disabled: false,
      webhook_secret: secret,
    });
    expect(JSON.stringify(stored.data())).not.toContain(key);

    // With a validator synced by the CLI and heard from, the key opens a request.
    const alice = await neuronOf("//Alice", 0, 0.9, true);
    const synced = await cli([
      "sync-metagraph",
      "--file",
      writeSnapshot("k.json", { netuid: 71, block: 1, neurons: [alice] }),
      "--emulator",
    ]);
    expect(synced.code).toBe(0);
    await adminDb()
      .collection(COLLECTIONS.registry)
      .doc(alice.hotkey)
      .update({ last_seen: Timestamp.now() });
    const res = await postLeads(key, { num_leads: 1, business_desc: "Fintech startups in Berlin" });
    expect(res.status).toBe(202);
    expect(res.body.expected_validators).toBe(1);

    const wrong = await postLeads(key + "x", { num_leads: 1, business_desc: "Fintech" });
    expect(wrong.status).toBe(401);
  });

  it("--json prints the key, its webhook secret and key id on stdout", async () => {
    const run = await cli(["create-api-key", "--client", "json-client", "--json", "--emulator"]);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.key).toMatch(/^lpk_/);
    expect(out.webhook_secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(out.key_id).toBe(keyIdOf(hashApiKey(out.key)));
    expect(run.stderr).not.toContain(out.webhook_secret);
    const stored = await adminDb().collection(COLLECTIONS.apiKeys).doc(hashApiKey(out.key)).get();
    expect(stored.data()?.webhook_secret).toBe(out.webhook_secret);
  });
});

// Issue 20, operator takeover and revocation. An attacker signs up (the Auth REST API with the
// public web API key) with the email an administrator is about to grant; and a revoked operator's
// ID token, still unexpired, must read nothing.
describe("grant-operator", () => {
  const AUTH = () =>
    `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST}/identitytoolkit.googleapis.com/v1`;
  const FIRESTORE = () =>
    `http://${process.env.FIRESTORE_EMULATOR_HOST}/v1/projects/demo-consensus/databases/(default)/documents`;
  const newEmail = () => `ops-${randomUUID().slice(0, 8)}@example.com`;

  /** The Auth REST API as anyone with the web API key calls it; returns the ID token and uid. */
  async function authCall(op: "signUp" | "signInWithPassword", email: string, password: string) {
    const res = await fetch(`${AUTH()}/accounts:${op}?key=public-web-api-key`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email, password, returnSecureToken: true }),
    });
    const body = (await res.json()) as { idToken?: string; localId?: string; error?: unknown };
    if (!res.ok || !body.idToken) throw new Error(`${op} failed: ${JSON.stringify(body)}`);
    return { idToken: body.idToken, uid: body.localId! };
  }

  /** A Firestore read as the console makes it, under the security rules, with this ID token. */
  async function readAs(idToken: string, path: string): Promise<number> {
    const res = await fetch(`${FIRESTORE()}/${path}`, {
      headers: { Authorization: `Bearer ${idToken}` },
    });
    await res.arrayBuffer();
    return res.status;
  }

  async function accessOf(email: string) {
    const user = await getAuth().getUserByEmail(email);
    const record = await adminDb().collection(COLLECTIONS.operators).doc(user.uid).get();
    return { claim: user.customClaims?.operator === true, record: record.exists };
  }

  let hotkey: string;
  beforeEach(async () => {
    adminDb();
    hotkey = (await keypair("//Alice")).address;
    await adminDb()
      .collection(COLLECTIONS.registry)
      .doc(hotkey)
      .set({ ...(await neuronOf("//Alice", 0, 0.5, true)), role: "validator", last_seen: null });
  });

  it("--create refuses an account someone else signed up with, and --existing an unverified one", async () => {
    const email = newEmail();
    const attacker = await authCall("signUp", email, "attacker-password");

    const create = await cli(["grant-operator", "--email", email, "--create", "--emulator"], {
      OPERATOR_PASSWORD: "admins-password",
    });
    expect(create.code).toBe(1);
    expect(create.stderr).toMatch(/already exists .*NOT verified.*nothing changed/s);
    expect(create.stdout).toBe("");
    expect(await accessOf(email)).toEqual({ claim: false, record: false });

    const existing = await cli(["grant-operator", "--email", email, "--existing", "--emulator"]);
    expect(existing.code).toBe(1);
    expect(existing.stderr).toMatch(/has not verified its email.*nothing changed/s);
    expect(await accessOf(email)).toEqual({ claim: false, record: false });

    // The attacker's password signs in to an account that reads nothing.
    const token = (await authCall("signInWithPassword", email, "attacker-password")).idToken;
    expect(await readAs(token, `registry/${hotkey}`)).toBe(403);
    expect(attacker.uid).toBe((await getAuth().getUserByEmail(email)).uid);
  });

  it("--existing grants an account whose email is verified; a bare grant says which to pass", async () => {
    const email = newEmail();
    const { uid } = await authCall("signUp", email, "owners-password");
    await getAuth().updateUser(uid, { emailVerified: true });

    const bare = await cli(["grant-operator", "--email", email, "--emulator"]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/--create .*--existing .*--revoke/);
    expect(await accessOf(email)).toEqual({ claim: false, record: false });

    const run = await cli(["grant-operator", "--email", email, "--existing", "--emulator"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Granted operator access to ${email} (uid ${uid})`);
    expect(await accessOf(email)).toEqual({ claim: true, record: true });
    const token = (await authCall("signInWithPassword", email, "owners-password")).idToken;
    expect(await readAs(token, `registry/${hotkey}`)).toBe(200);
  });

  it("--revoke ends access at once: the ID token issued before reads nothing", async () => {
    const email = newEmail();
    const made = await cli(["grant-operator", "--email", email, "--create", "--emulator"], {
      OPERATOR_PASSWORD: "operator-pass",
    });
    expect(made.code).toBe(0);
    expect(await accessOf(email)).toEqual({ claim: true, record: true });
    const old = (await authCall("signInWithPassword", email, "operator-pass")).idToken;
    expect(await readAs(old, `registry/${hotkey}`)).toBe(200);
    expect(await readAs(old, COLLECTIONS.requests)).toBe(200);

    const revoke = await cli(["grant-operator", "--email", email, "--revoke", "--emulator"]);
    expect(revoke.code).toBe(0);
    expect(revoke.stdout).toContain("Revoked operator access");
    expect(await accessOf(email)).toEqual({ claim: false, record: false });
    // The same, unexpired token: its claim still says operator, the record is gone.
    expect(JSON.parse(Buffer.from(old.split(".")[1], "base64url").toString()).operator).toBe(true);
    expect(await readAs(old, `registry/${hotkey}`)).toBe(403);
    expect(await readAs(old, COLLECTIONS.requests)).toBe(403);

    // --create again does not quietly re-grant the existing account.
    const again = await cli(["grant-operator", "--email", email, "--create", "--emulator"], {
      OPERATOR_PASSWORD: "operator-pass",
    });
    expect(again.code).toBe(1);
    expect(await accessOf(email)).toEqual({ claim: false, record: false });
  });
});
