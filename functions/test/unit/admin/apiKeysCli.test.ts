// The list-api-keys table: what an operator needs to pick a key, and never the key or its hash.
import { formatKeysTable, stateText } from "../../../src/admin/apiKeysCli";
import type { ApiKeyListing } from "../../../src/http/apiKeys";

const row = (over: Partial<ApiKeyListing>): ApiKeyListing => ({
  key_id: "kid_0123456789abcdef",
  client_id: "acme",
  label: "prod",
  key_prefix: "lpk_AbCd",
  created_at: "2026-11-27T03:00:00.000Z",
  state: { kind: "active" },
  ...over,
});

test("one line per key with its status; a legacy key without prefix shows '-'", () => {
  const text = formatKeysTable([
    row({}),
    row({ key_id: "kid_1", state: { kind: "rotating", until: new Date("2026-11-28T03:00:00Z") } }),
    row({ key_id: "kid_2", key_prefix: null, label: "", state: { kind: "disabled" } }),
  ]);
  const lines = text.split("\n");
  expect(lines[0]).toMatch(/^CLIENT\s+LABEL\s+KEY ID\s+PREFIX\s+CREATED\s+STATUS$/);
  expect(lines[1]).toMatch(
    /acme\s+prod\s+kid_0123456789abcdef\s+lpk_AbCd…\s+2026-11-27T03:00:00.000Z\s+active$/,
  );
  expect(lines[2]).toMatch(/rotating-until 2026-11-28T03:00:00.000Z$/);
  expect(lines[3]).toMatch(/acme\s+-\s+kid_2\s+-\s+.*disabled$/);
  expect(text).not.toMatch(/[0-9a-f]{64}/);
});

test("status words", () => {
  expect(stateText({ kind: "expired", at: new Date(0) })).toBe("expired 1970-01-01T00:00:00.000Z");
  expect(formatKeysTable([])).toBe("No API keys.");
});
