// The rotation grace an operator types, and the one rule for when a key stops working.
import { ApiKeyDocSchema, MAX_GRACE_MS, apiKeyState, parseGrace } from "../../src/apiKeys";

const at = (ms: number) => ({ toMillis: () => ms, toDate: () => new Date(ms) });

test.each([
  ["0s", 0],
  ["30s", 30_000],
  ["15m", 900_000],
  ["24h", 86_400_000],
  [" 7d ", 7 * 86_400_000],
  ["30d", MAX_GRACE_MS],
])("grace %j is %d ms", (text, ms) => {
  expect(parseGrace(text)).toBe(ms);
});

test.each(["", "24", "h", "1.5h", "-1h", "24 h", "1w", "31d", "99999999s", "24H"])(
  "grace %j is refused",
  (text) => {
    expect(parseGrace(text)).toBeNull();
  },
);

test("a key is active, disabled, rotating until its expires_at, then expired", () => {
  const now = new Date(1_000_000);
  expect(apiKeyState({ disabled: false }, now)).toEqual({ kind: "active" });
  expect(apiKeyState({ disabled: true, expires_at: at(2_000_000) }, now)).toEqual({
    kind: "disabled",
  });
  expect(apiKeyState({ disabled: false, expires_at: at(1_000_001) }, now)).toEqual({
    kind: "rotating",
    until: new Date(1_000_001),
  });
  // The instant of expiry is already refused: the key works strictly before it.
  expect(apiKeyState({ disabled: false, expires_at: at(1_000_000) }, now)).toEqual({
    kind: "expired",
    at: new Date(1_000_000),
  });
  expect(apiKeyState({ disabled: false, expires_at: null }, now)).toEqual({ kind: "active" });
});

test("the stored shape: older documents parse, other features' fields pass through", () => {
  const legacy = { client_id: "acme", label: "", created_at: at(1), disabled: false };
  expect(ApiKeyDocSchema.parse(legacy)).toEqual(legacy);
  const withWebhook = { ...legacy, webhook_secret_ref: "x" };
  expect(ApiKeyDocSchema.parse(withWebhook)).toEqual(withWebhook);
  expect(ApiKeyDocSchema.safeParse({ ...legacy, created_at: "yesterday" }).success).toBe(false);
  expect(ApiKeyDocSchema.safeParse({ ...legacy, disabled: "no" }).success).toBe(false);
});
