// The metagraph snapshot schema and the registry sync plan (pure, no emulator).
import { encodeAddress } from "@polkadot/util-crypto";
import {
  MetagraphSnapshotError,
  parseMetagraphSnapshot,
  parseMetagraphSnapshotJson,
  planRegistrySync,
  roleOf,
  snapshotSequenceProblem,
  type MetagraphSnapshot,
  type Neuron,
  type RegistryEntryLike,
} from "../../src";

/** A valid, distinct SS58 (format 42) address per seed. */
const addr = (seed: number, format = 42) => encodeAddress(new Uint8Array(32).fill(seed), format);
const ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

function neuron(uid: number, extra: Partial<Neuron> = {}): Neuron {
  return {
    uid,
    hotkey: addr(uid + 1),
    coldkey: addr(200),
    stake: 100 * (uid + 1),
    validator_trust: 0,
    validator_permit: false,
    active: true,
    is_serving: true,
    axon: { ip: `10.0.0.${uid + 1}`, port: 8091 },
    ...extra,
  };
}

function snapshot(neurons: Neuron[], extra: Partial<MetagraphSnapshot> = {}): MetagraphSnapshot {
  return { netuid: 71, block: 1000, neurons, ...extra };
}

/** The registry entry a previous sync of `n` would have left (plus a heartbeat of its own). */
function entryFor(n: Neuron, netuid = 71): RegistryEntryLike & { last_seen: string } {
  return {
    hotkey: n.hotkey,
    uid: n.uid,
    role: roleOf(n),
    validator_trust: n.validator_trust,
    stake: n.stake,
    validator_permit: n.validator_permit,
    is_serving: n.is_serving,
    coldkey: n.coldkey,
    axon: n.axon,
    netuid,
    last_seen: "heartbeat",
  };
}

/** The issues of a failed parse as `field: message` lines. */
function issuesOf(input: unknown): string[] {
  try {
    parseMetagraphSnapshot(input);
  } catch (err) {
    expect(err).toBeInstanceOf(MetagraphSnapshotError);
    return (err as MetagraphSnapshotError).issues.map((i) => `${i.field}: ${i.message}`);
  }
  throw new Error("snapshot unexpectedly parsed");
}

const base = () => [
  neuron(0, { validator_permit: true, validator_trust: 0.8 }),
  neuron(1, { validator_permit: true, validator_trust: 0.2 }),
  neuron(2),
  neuron(3),
];

describe("MetagraphSnapshotSchema", () => {
  it("accepts a valid snapshot and ignores fields it does not know", () => {
    const input = {
      ...snapshot(base()),
      network: "finney",
      neurons: base().map((n) => ({ ...n, incentive: 0.1 })),
    };
    const parsed = parseMetagraphSnapshot(input);
    expect(parsed).toEqual(snapshot(base()));
  });

  it("accepts a neuron without an axon (null) and the bounds 0 and 1 for trust", () => {
    const s = snapshot([neuron(0, { axon: null, validator_trust: 1 }), neuron(1, { stake: 0 })]);
    expect(parseMetagraphSnapshot(s).neurons[0].axon).toBeNull();
  });

  it.each<[string, (n: Record<string, unknown>[]) => void, string]>([
    [
      "trust above 1",
      (n) => (n[3].validator_trust = 1.5),
      "neurons[3].validator_trust: must be <= 1",
    ],
    [
      "trust below 0",
      (n) => (n[1].validator_trust = -0.1),
      "neurons[1].validator_trust: must be >= 0",
    ],
    ["negative stake", (n) => (n[2].stake = -5), "neurons[2].stake: must be >= 0"],
    ["stake as a string", (n) => (n[0].stake = "5"), "neurons[0].stake: must be a number"],
    ["fractional uid", (n) => (n[2].uid = 2.5), "neurons[2].uid: must be a whole number"],
    ["uid beyond u16", (n) => (n[2].uid = 70000), "neurons[2].uid: must be <= 65535"],
    [
      "missing permit",
      (n) => delete n[1].validator_permit,
      "neurons[1].validator_permit: is required",
    ],
    [
      "permit as a string",
      (n) => (n[1].validator_permit = "yes"),
      "neurons[1].validator_permit: must be true or false",
    ],
    [
      "axon port out of range",
      (n) => (n[0].axon = { ip: "1.2.3.4", port: 70000 }),
      "neurons[0].axon.port: must be <= 65535",
    ],
    ["axon missing", (n) => delete n[0].axon, "neurons[0].axon: is required"],
    ["a neuron that is not an object", (n) => (n[2] = 5 as never), "neurons[2]: must be an object"],
  ])("names the entry for %s", (_name, mutate, expected) => {
    const neurons = base() as unknown as Record<string, unknown>[];
    mutate(neurons);
    expect(issuesOf(snapshot(neurons as unknown as Neuron[]))).toContain(expected);
  });

  it("rejects a hotkey with a bad checksum, and one encoded for another network", () => {
    const neurons = base();
    neurons[1].hotkey = ALICE.slice(0, -1) + (ALICE.endsWith("Y") ? "Z" : "Y");
    neurons[2].coldkey = addr(9, 0);
    const issues = issuesOf(snapshot(neurons));
    expect(issues).toEqual([
      expect.stringMatching(/^neurons\[1\]\.hotkey: must be an SS58 address \(format 42\)/),
      expect.stringMatching(
        /^neurons\[2\]\.coldkey: must be an SS58 address \(format 42\): Prefix/,
      ),
    ]);
  });

  it("rejects duplicate hotkeys and duplicate uids, naming the later copy and the first", () => {
    const neurons = base();
    neurons[3].hotkey = neurons[0].hotkey;
    neurons[2].uid = 1;
    expect(issuesOf(snapshot(neurons))).toEqual([
      "neurons[2].uid: duplicate of neurons[1].uid",
      "neurons[3].hotkey: duplicate of neurons[0].hotkey",
    ]);
  });

  it("checks the envelope: netuid, block, a non-empty neurons list, an object at all", () => {
    expect(issuesOf({ ...snapshot(base()), netuid: -1 })).toEqual(["netuid: must be >= 0"]);
    expect(issuesOf({ ...snapshot(base()), block: "12" })).toEqual([
      "block: must be a whole number",
    ]);
    expect(issuesOf(snapshot([]))).toEqual(["neurons: must list at least one neuron"]);
    expect(issuesOf({ netuid: 1, block: 2 })).toEqual(["neurons: is required"]);
    expect(issuesOf([])).toEqual(["(snapshot): must be a JSON object"]);
  });

  it("puts the named issues in the error message", () => {
    const neurons = base();
    neurons[3].validator_trust = 2;
    expect(() => parseMetagraphSnapshot(snapshot(neurons))).toThrow(
      "invalid metagraph snapshot: neurons[3].validator_trust: must be <= 1",
    );
  });

  it("reports text that is not JSON as a malformed snapshot", () => {
    expect(() => parseMetagraphSnapshotJson("{ not json")).toThrow(MetagraphSnapshotError);
    expect(() => parseMetagraphSnapshotJson("{ not json")).toThrow(
      /\(snapshot\): is not valid JSON/,
    );
    expect(parseMetagraphSnapshotJson(JSON.stringify(snapshot(base()))).block).toBe(1000);
  });
});

describe("roleOf", () => {
  it.each([
    [{ validator_permit: true, active: false, is_serving: false }, "validator"],
    [{ validator_permit: true, active: true, is_serving: true }, "validator"],
    [{ validator_permit: false, active: true, is_serving: false }, "miner"],
    [{ validator_permit: false, active: false, is_serving: true }, "miner"],
    // A miner never serves an axon nor sets weights: neither flag may cost it its role.
    [{ validator_permit: false, active: false, is_serving: false }, "miner"],
  ])("%j → %s", (flags, role) => {
    expect(roleOf(flags)).toBe(role);
  });
});

describe("planRegistrySync", () => {
  it("fills an empty registry: every neuron added with its role, no heartbeat yet", () => {
    const neurons = [...base(), neuron(4, { active: false, is_serving: false })];
    const plan = planRegistrySync([], snapshot(neurons));
    expect(plan.added.map((a) => [a.uid, a.role])).toEqual(
      expect.arrayContaining([
        [0, "validator"],
        [1, "validator"],
        [2, "miner"],
        [3, "miner"],
        // Neither active nor serving: still a miner (it answers through the backend).
        [4, "miner"],
      ]),
    );
    expect(plan).toMatchObject({
      netuid: 71,
      block: 1000,
      neurons: 5,
      validators: 2,
      miners: 3,
      removed: [],
      trustChanged: [],
      updated: [],
      unchanged: [],
    });
    expect(plan.writes).toHaveLength(5);
    const alice = plan.writes.find((w) => w.hotkey === neurons[0].hotkey)!;
    expect(alice).toEqual({
      op: "create",
      hotkey: neurons[0].hotkey,
      data: {
        hotkey: neurons[0].hotkey,
        uid: 0,
        role: "validator",
        validator_trust: 0.8,
        stake: 100,
        validator_permit: true,
        is_serving: true,
        last_seen: null,
        coldkey: neurons[0].coldkey,
        axon: { ip: "10.0.0.1", port: 8091 },
        netuid: 71,
        block: 1000,
      },
    });
  });

  it("writes nothing when the registry already mirrors the snapshot", () => {
    const neurons = base();
    const plan = planRegistrySync(
      neurons.map((n) => entryFor(n)),
      snapshot(neurons, { block: 1200 }),
    );
    expect(plan.writes).toEqual([]);
    expect(plan.unchanged).toEqual(neurons.map((n) => n.hotkey).sort());
    expect(plan.added).toEqual([]);
    expect(plan.updated).toEqual([]);
  });

  it("reports a trust change from → to and writes only that field, never the heartbeat", () => {
    const before = base();
    const after = base();
    after[1].validator_trust = 0.35;
    const plan = planRegistrySync(
      before.map((n) => entryFor(n)),
      snapshot(after, { block: 1100 }),
    );
    expect(plan.trustChanged).toEqual([{ hotkey: after[1].hotkey, uid: 1, from: 0.2, to: 0.35 }]);
    expect(plan.updated).toEqual([
      { hotkey: after[1].hotkey, uid: 1, fields: ["validator_trust"] },
    ]);
    expect(plan.writes).toEqual([
      { op: "update", hotkey: after[1].hotkey, data: { validator_trust: 0.35, block: 1100 } },
    ]);
    expect(plan.unchanged).toHaveLength(3);
  });

  it("never writes last_seen or is_serving for a hotkey still in the metagraph", () => {
    const before = base().map((n) => entryFor(n));
    // The chain says not serving and everything else changed; the node's own heartbeat still wins.
    const after = base().map((n, i) => ({
      ...n,
      is_serving: !n.is_serving,
      stake: n.stake + 1,
      axon: { ip: "192.168.1.1", port: 9000 + i },
      validator_trust: i % 2 === 0 ? 0.5 : 0.25,
    }));
    const plan = planRegistrySync(before, snapshot(after));
    expect(plan.writes).toHaveLength(4);
    for (const w of plan.writes) {
      expect(w.op).toBe("update");
      expect(Object.keys(w.data)).not.toContain("last_seen");
      expect(Object.keys(w.data)).not.toContain("is_serving");
    }
  });

  it("strips the role of a hotkey that left the metagraph instead of deleting it", () => {
    const before = base();
    const after = base().filter((_, i) => i !== 1 && i !== 2);
    const plan = planRegistrySync(
      before.map((n) => entryFor(n)),
      snapshot(after),
    );
    expect(plan.removed).toEqual(
      [
        { hotkey: before[1].hotkey, uid: 1, previous_role: "validator" },
        { hotkey: before[2].hotkey, uid: 2, previous_role: "miner" },
      ].sort((a, b) => (a.hotkey < b.hotkey ? -1 : 1)),
    );
    const removes = Object.fromEntries(plan.writes.map((w) => [w.hotkey, w]));
    expect(removes[before[1].hotkey]).toEqual({
      op: "remove",
      hotkey: before[1].hotkey,
      data: {
        role: null,
        validator_permit: false,
        validator_trust: 0,
        stake: 0,
        axon: null,
        is_serving: false,
        block: 1000,
      },
    });
    // Only what differs is written: the miner had no permit or trust to lose. Never last_seen.
    expect(removes[before[2].hotkey]).toEqual({
      op: "remove",
      hotkey: before[2].hotkey,
      data: { role: null, stake: 0, axon: null, is_serving: false, block: 1000 },
    });
    expect(plan.writes).toHaveLength(2);
    // Syncing the same snapshot over the result: already removed, nothing more to write.
    const removedEntry = {
      ...entryFor(before[2]),
      role: null,
      validator_permit: false,
      validator_trust: 0,
      stake: 0,
      axon: null,
      is_serving: false,
    };
    const again = planRegistrySync(
      [...after.map((n) => entryFor(n)), removedEntry],
      snapshot(after),
    );
    expect(again.writes).toEqual([]);
    expect(again.removed).toEqual([]);
    expect(again.unchanged).toContain(before[2].hotkey);
  });

  it("gives a returning hotkey its role back as an update", () => {
    const n = neuron(5, { validator_permit: true, validator_trust: 0.4 });
    const gone = {
      ...entryFor(n),
      role: null,
      validator_permit: false,
      validator_trust: 0,
      stake: 0,
      axon: null,
      is_serving: false,
    };
    const plan = planRegistrySync([gone], snapshot([n]));
    expect(plan.added).toEqual([]);
    expect(plan.updated).toEqual([
      {
        hotkey: n.hotkey,
        uid: 5,
        fields: ["role", "validator_trust", "stake", "validator_permit", "axon"],
      },
    ]);
    expect(plan.trustChanged).toEqual([{ hotkey: n.hotkey, uid: 5, from: 0, to: 0.4 }]);
  });

  it("fills in the chain fields of an entry written before syncs existed", () => {
    const n = neuron(0, { validator_permit: true, validator_trust: 0.8 });
    const legacy: RegistryEntryLike = {
      hotkey: n.hotkey,
      uid: 0,
      role: "validator",
      validator_trust: 0.8,
      stake: n.stake,
      validator_permit: true,
      is_serving: true,
    };
    const plan = planRegistrySync([legacy], snapshot([n]));
    expect(plan.updated).toEqual([
      { hotkey: n.hotkey, uid: 0, fields: ["coldkey", "axon", "netuid"] },
    ]);
    expect(plan.trustChanged).toEqual([]);
  });

  it("is deterministic: the same writes whatever order the snapshot lists neurons in", () => {
    const current = base()
      .slice(0, 2)
      .map((n) => entryFor({ ...n, validator_trust: 0.1 }));
    current.push(entryFor(neuron(9)));
    const neurons = [...base(), neuron(4), neuron(5)];
    const a = planRegistrySync(current, snapshot(neurons));
    const b = planRegistrySync([...current].reverse(), snapshot([...neurons].reverse()));
    expect(b).toEqual(a);
    expect(a.writes.map((w) => w.op)).toEqual([
      "create",
      "create",
      "create",
      "create",
      "update",
      "update",
      "remove",
    ]);
  });

  it("refuses a malformed snapshot outright: no plan, the entry named", () => {
    const neurons = base();
    neurons[3].validator_trust = 1.01;
    expect(() => planRegistrySync([entryFor(base()[0])], snapshot(neurons))).toThrow(
      /neurons\[3\]\.validator_trust: must be <= 1/,
    );
  });
});

describe("snapshotSequenceProblem", () => {
  it("accepts the first sync, the same block again and a newer block", () => {
    expect(snapshotSequenceProblem(null, { netuid: 1, block: 5 })).toBeNull();
    expect(snapshotSequenceProblem({ netuid: 1, block: 5 }, { netuid: 1, block: 5 })).toBeNull();
    expect(snapshotSequenceProblem({ netuid: 1, block: 5 }, { netuid: 1, block: 6 })).toBeNull();
  });

  it("names an older block and another netuid", () => {
    expect(snapshotSequenceProblem({ netuid: 1, block: 5 }, { netuid: 1, block: 4 })).toBe(
      "snapshot block 4 is older than the last synced block 5",
    );
    expect(snapshotSequenceProblem({ netuid: 1, block: 5 }, { netuid: 2, block: 9 })).toBe(
      "snapshot is for netuid 2 but the registry was synced from netuid 1",
    );
  });
});
