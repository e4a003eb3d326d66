// Property-based tests of the metagraph snapshot boundary: any input either parses or fails with a
// MetagraphSnapshotError naming the bad entry, and a parsed snapshot's sync plan is idempotent.
import fc from "fast-check";
import { encodeAddress } from "@polkadot/util-crypto";
import {
  MetagraphSnapshotError,
  parseMetagraphSnapshot,
  planRegistrySync,
  type Neuron,
  type RegistryEntryLike,
  type RegistryWrite,
} from "consensus-core";
import { wrongType } from "./arbitraries";

const address = (seed: number) =>
  encodeAddress(
    new Uint8Array(32).fill(seed % 256).map((b, i) => (i === 0 ? seed >> 8 : b)),
    42,
  );

const neuronArb = (uid: number): fc.Arbitrary<Neuron> =>
  fc.record({
    uid: fc.constant(uid),
    hotkey: fc.constant(address(uid + 1)),
    coldkey: fc.constant(address(uid + 30_000)),
    stake: fc.double({ min: 0, max: 1e6, noNaN: true }),
    validator_trust: fc.double({ min: 0, max: 1, noNaN: true }),
    validator_permit: fc.boolean(),
    active: fc.boolean(),
    is_serving: fc.boolean(),
    axon: fc.option(
      fc.record({ ip: fc.constant("10.0.0.1"), port: fc.integer({ min: 0, max: 65535 }) }),
      { nil: null },
    ),
  });

const snapshotArb = fc
  .uniqueArray(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 12 })
  .chain((uids) => fc.tuple(...uids.map(neuronArb)))
  .map((neurons) => ({ netuid: 71, block: 1000, neurons }));

function apply(registry: Map<string, RegistryEntryLike>, writes: RegistryWrite[]): void {
  for (const w of writes) {
    const before = registry.get(w.hotkey) ?? ({} as RegistryEntryLike);
    registry.set(w.hotkey, {
      ...before,
      ...(w.data as object),
      hotkey: w.hotkey,
    } as RegistryEntryLike);
  }
}

/** Wrong for every neuron field (numbers and booleans could be valid for some of them). */
const notNumberOrBool = wrongType.filter((v) => typeof v !== "number" && typeof v !== "boolean");

describe("metagraph snapshot", () => {
  it("a valid snapshot parses, and syncing it twice writes nothing the second time", () => {
    fc.assert(
      fc.property(snapshotArb, fc.option(snapshotArb, { nil: undefined }), (first, second) => {
        parseMetagraphSnapshot(first);
        const registry = new Map<string, RegistryEntryLike>();
        apply(registry, planRegistrySync([...registry.values()], first).writes);
        if (second) apply(registry, planRegistrySync([...registry.values()], second).writes);
        const target = second ?? first;
        expect(planRegistrySync([...registry.values()], target).writes).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it("one broken neuron field is refused with its path named", () => {
    const fields = [
      "uid",
      "hotkey",
      "coldkey",
      "stake",
      "validator_trust",
      "validator_permit",
      "active",
      "is_serving",
    ] as const;
    fc.assert(
      fc.property(
        snapshotArb,
        fc.nat(),
        fc.constantFrom(...fields),
        notNumberOrBool,
        (snap, at, field, bad) => {
          const i = at % snap.neurons.length;
          const neurons = snap.neurons.map((n, j) => (j === i ? { ...n, [field]: bad } : n));
          try {
            parseMetagraphSnapshot({ ...snap, neurons });
            throw new Error("parsed");
          } catch (err) {
            expect(err).toBeInstanceOf(MetagraphSnapshotError);
            expect((err as Error).message).toContain(`neurons[${i}].${field}`);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("arbitrary JSON never throws anything but MetagraphSnapshotError", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (input) => {
        try {
          parseMetagraphSnapshot(input);
        } catch (err) {
          expect(err).toBeInstanceOf(MetagraphSnapshotError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
