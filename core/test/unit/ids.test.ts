import { randomUUID } from "crypto";
import { COLLECTIONS, rankingDocId, submissionDocId } from "../../src/ids";
import { HotkeySchema, RequestIdSchema } from "../../src/schemas";

const ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
const BOB = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";

describe("document ids", () => {
  it("encode the request and the owner's hotkey", () => {
    const requestId = randomUUID();
    expect(rankingDocId(requestId, ALICE)).toBe(`${requestId}_${ALICE}`);
    expect(submissionDocId(requestId, BOB)).toBe(`${requestId}_${BOB}`);
  });

  it("are distinct per owner and per request, and split back unambiguously", () => {
    const r1 = randomUUID();
    const r2 = randomUUID();
    const ids = [rankingDocId(r1, ALICE), rankingDocId(r1, BOB), rankingDocId(r2, ALICE)];
    expect(new Set(ids).size).toBe(3);
    // Neither a UUID nor an SS58 address contains "_", so the separator is unambiguous.
    for (const id of ids) {
      const [requestId, hotkey, ...rest] = id.split("_");
      expect(rest).toEqual([]);
      expect(RequestIdSchema.safeParse(requestId).success).toBe(true);
      expect(HotkeySchema.safeParse(hotkey).success).toBe(true);
    }
  });

  it("name distinct collections", () => {
    const names = Object.values(COLLECTIONS);
    expect(new Set(names).size).toBe(names.length);
    expect(COLLECTIONS.rankings).toBe("validator_rankings");
    expect(COLLECTIONS.submissions).toBe("miner_submissions");
  });
});
