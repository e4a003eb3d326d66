import { webhookSignatureHeader } from "consensus-core";
import { verifyWebhook, WebhookVerificationError } from "../../src";

const SECRET = "whsec_unit";
const view = {
  request_id: "00000000-0000-4000-8000-000000000001",
  status: "failed",
  created_at: "2026-01-01T00:00:00.000Z",
  timeout: "2026-01-01T00:02:00.000Z",
  validator_deadline: "2026-01-01T00:01:30.000Z",
  validators: { answered: 0, expected: 1 },
  reason: "no_miner_submitted",
};
const BODY = JSON.stringify(view);
const T = 1_800_000_000;

function signed(body = BODY, t = T) {
  return {
    "webhook-id": "whd_1",
    "webhook-signature": webhookSignatureHeader(SECRET, t, body),
  };
}

test("a signed delivery verifies from node headers, fetch Headers, a string or bytes", () => {
  const expected = { deliveryId: "whd_1", timestamp: T, payload: view };
  expect(verifyWebhook({ body: BODY, headers: signed(), secret: SECRET, nowSeconds: T })).toEqual(
    expected,
  );
  expect(
    verifyWebhook({
      body: Buffer.from(BODY),
      headers: new Headers(signed()),
      secret: SECRET,
      nowSeconds: T + 10,
    }),
  ).toEqual(expected);
});

test.each([
  ["a wrong secret", { secret: "whsec_other" }, "signature_mismatch"],
  ["a tampered body", { body: BODY.replace("failed", "completed") }, "signature_mismatch"],
  ["an old delivery", { nowSeconds: T + 301 }, "timestamp_outside_tolerance"],
  ["a tight tolerance", { nowSeconds: T + 5, toleranceSeconds: 2 }, "timestamp_outside_tolerance"],
  ["no signature header", { headers: { "webhook-id": "whd_1" } }, "malformed_header"],
  [
    "no delivery id",
    { headers: { "webhook-signature": signed()["webhook-signature"] } },
    "missing_delivery_id",
  ],
])("%s is refused", (_name, override, reason) => {
  const run = () =>
    verifyWebhook({ body: BODY, headers: signed(), secret: SECRET, nowSeconds: T, ...override });
  expect(run).toThrow(WebhookVerificationError);
  expect(run).toThrow(`webhook refused: ${reason}`);
});

test("a signed body that is not a status view is refused", () => {
  const body = JSON.stringify({ hello: "world" });
  expect(() =>
    verifyWebhook({ body, headers: signed(body), secret: SECRET, nowSeconds: T }),
  ).toThrow("bad_body");
});
