import { createHmac } from "node:crypto";
import { CreateLeadsRequestSchema } from "../../src/createRequest";
import {
  callbackUrlProblem,
  deliverableAddress,
  isBlockedAddress,
  verifyWebhookSignature,
  webhookDeliveryId,
  webhookSignatureHeader,
  webhookSignedPayload,
} from "../../src/webhooks";

const SECRET = "whsec_test_secret_0123456789";
const BODY = JSON.stringify({ request_id: "r", status: "completed", leads: [] });
const T = 1_800_000_000;

describe("signature", () => {
  test("the header is t=<unix>,v1=<hex HMAC-SHA256 of `${t}.${body}`>", () => {
    const expected = createHmac("sha256", SECRET).update(`${T}.${BODY}`).digest("hex");
    expect(webhookSignedPayload(T, BODY)).toBe(`${T}.${BODY}`);
    expect(webhookSignatureHeader(SECRET, T, BODY)).toBe(`t=${T},v1=${expected}`);
  });

  test("a delivery verifies with its secret, body and a clock inside the tolerance", () => {
    const header = webhookSignatureHeader(SECRET, T, BODY);
    for (const skew of [-300, 0, 300]) {
      expect(
        verifyWebhookSignature({ body: BODY, header, secret: SECRET, nowSeconds: T + skew }),
      ).toEqual({ ok: true, timestamp: T });
    }
  });

  test("outside the tolerance window (either way) it is refused", () => {
    const header = webhookSignatureHeader(SECRET, T, BODY);
    for (const now of [T + 301, T - 301]) {
      expect(
        verifyWebhookSignature({ body: BODY, header, secret: SECRET, nowSeconds: now }),
      ).toEqual({ ok: false, reason: "timestamp_outside_tolerance" });
    }
    expect(
      verifyWebhookSignature({
        body: BODY,
        header,
        secret: SECRET,
        nowSeconds: T + 20,
        toleranceSeconds: 10,
      }).ok,
    ).toBe(false);
  });

  test("a wrong secret, a tampered body or a re-stamped timestamp is a mismatch", () => {
    const header = webhookSignatureHeader(SECRET, T, BODY);
    const mismatch = { ok: false, reason: "signature_mismatch" };
    expect(
      verifyWebhookSignature({ body: BODY, header, secret: SECRET + "x", nowSeconds: T }),
    ).toEqual(mismatch);
    expect(
      verifyWebhookSignature({
        body: BODY.replace("completed", "failed"),
        header,
        secret: SECRET,
        nowSeconds: T,
      }),
    ).toEqual(mismatch);
    // The same signature under a newer timestamp: the timestamp is signed too.
    const restamped = header.replace(`t=${T}`, `t=${T + 1}`);
    expect(
      verifyWebhookSignature({ body: BODY, header: restamped, secret: SECRET, nowSeconds: T }),
    ).toEqual(mismatch);
  });

  test("any one of several v1 signatures may match (secret rotation)", () => {
    const good = webhookSignatureHeader(SECRET, T, BODY);
    const other = webhookSignatureHeader("whsec_old", T, BODY).split(",")[1];
    const header = `${good.split(",")[0]},${other},${good.split(",")[1]}`;
    expect(verifyWebhookSignature({ body: BODY, header, secret: SECRET, nowSeconds: T }).ok).toBe(
      true,
    );
  });

  test.each([
    [undefined],
    [""],
    ["v1=abc"],
    [`t=${T}`],
    [`t=soon,v1=${"a".repeat(64)}`],
    [`t=${T},t=${T},v1=${"a".repeat(64)}`],
    [`t=${T},v1=short`],
    ["garbage"],
  ])("malformed header %p is refused without throwing", (header) => {
    expect(verifyWebhookSignature({ body: BODY, header, secret: SECRET, nowSeconds: T })).toEqual({
      ok: false,
      reason: "malformed_header",
    });
  });

  test("the delivery id is stable per request", () => {
    expect(webhookDeliveryId("abc")).toBe(webhookDeliveryId("abc"));
    expect(webhookDeliveryId("abc")).not.toBe(webhookDeliveryId("abd"));
  });
});

describe("callback_url", () => {
  const prod = { allowLoopbackHttp: false };
  const emulator = { allowLoopbackHttp: true };
  const parse = (callback_url: unknown) =>
    CreateLeadsRequestSchema.safeParse({ num_leads: 1, business_desc: "x", callback_url });

  test("the schema takes an absolute http(s) URL up to 2048 characters, or nothing", () => {
    expect(parse(undefined).success).toBe(true);
    expect(parse("https://hooks.example.com/leads?x=1").success).toBe(true);
    for (const bad of [
      "ftp://example.com/x",
      "not a url",
      "/relative",
      "https://user:pw@example.com/",
      `https://example.com/${"a".repeat(2048)}`,
      42,
    ]) {
      const r = parse(bad);
      expect(r.success).toBe(false);
      expect(r.error!.issues[0].path).toEqual(["callback_url"]);
    }
  });

  test.each([
    "http://example.com/hook",
    "https://10.0.0.1/hook",
    "https://127.0.0.1/hook",
    "https://169.254.169.254/latest",
    "https://172.20.1.1/",
    "https://192.168.1.1/",
    "https://[::1]/",
    "https://[fe80::1]/",
    "https://[fd00::1]/",
    "https://[::ffff:10.0.0.1]/",
    "https://0.0.0.0/",
    "https://localhost/",
  ])("production refuses %s", (url) => {
    expect(callbackUrlProblem(url, prod)).not.toBeNull();
  });

  test("production accepts https to a public host or address", () => {
    expect(callbackUrlProblem("https://hooks.example.com/x", prod)).toBeNull();
    expect(callbackUrlProblem("https://8.8.8.8/x", prod)).toBeNull();
    expect(callbackUrlProblem("https://[2001:4860::8888]/x", prod)).toBeNull();
  });

  test("the emulator allows http to loopback only", () => {
    expect(callbackUrlProblem("http://127.0.0.1:4321/hook", emulator)).toBeNull();
    expect(callbackUrlProblem("http://localhost:4321/hook", emulator)).toBeNull();
    expect(callbackUrlProblem("http://10.0.0.1/hook", emulator)).not.toBeNull();
    expect(callbackUrlProblem("http://example.com/hook", emulator)).not.toBeNull();
  });

  test("resolved addresses: private ranges refused, loopback only in the emulator", () => {
    for (const a of ["10.1.2.3", "127.0.0.1", "::1", "169.254.169.254", "fc00::1", "0.0.0.0"]) {
      expect(isBlockedAddress(a)).toBe(true);
      expect(deliverableAddress(a, prod)).toBe(false);
    }
    expect(deliverableAddress("127.0.0.1", emulator)).toBe(true);
    expect(deliverableAddress("10.1.2.3", emulator)).toBe(false);
    expect(deliverableAddress("93.184.216.34", prod)).toBe(true);
  });
});
