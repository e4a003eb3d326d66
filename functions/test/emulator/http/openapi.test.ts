// The OpenAPI contract against the live `api` function in the Functions emulator: every documented
// operation answers its documented example with a status it documents, in the documented shape;
// the success shapes are checked on real successes; GET /openapi.json serves the committed copy.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { u8aToHex } from "@polkadot/util";
import { signInPayload, type SignInRequest } from "consensus-core";
import { API_OPERATIONS, operationStatuses, type ApiOperation } from "../../../src/http/openapi";
import { API_URL, clearFirestore, newApiKey, seedRegistry } from "../../support/emulator";

let key: string;
let requestId: string;
let signIn: SignInRequest;

beforeAll(async () => {
  await clearFirestore();
  const [alice] = await seedRegistry([{ uri: "//Alice", uid: 0, trust: 0.5 }]);
  key = await newApiKey("openapi-client");
  const challenge = {
    hotkey: alice.address,
    role: "validator" as const,
    nonce: randomBytes(24).toString("base64url"),
    issued_at: Date.now(),
  };
  signIn = { ...challenge, signature: u8aToHex(alice.sign(signInPayload(challenge))) };
});

async function call(op: ApiOperation, body: unknown, withKey: boolean) {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (withKey) headers.Authorization = `Bearer ${key}`;
  const res = await fetch(`${API_URL}${op.path.replace("{request_id}", requestId)}`, {
    method: op.method.toUpperCase(),
    headers,
    body: body === undefined ? null : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

/** The answer's status is one the operation documents, and its body has that status's shape. */
function expectDocumented(op: ApiOperation, answer: { status: number; body: unknown }) {
  const documented = operationStatuses(op).get(answer.status);
  expect({ status: answer.status, documented: Boolean(documented) }).toEqual({
    status: answer.status,
    documented: true,
  });
  expect(documented!.schema.safeParse(answer.body).error).toBeUndefined();
  if (documented!.codes.length > 0) {
    expect(documented!.codes).toContain((answer.body as { error: { code: string } }).error.code);
  }
}

const operation = (method: string, path: string) =>
  API_OPERATIONS.find((op) => op.method === method && op.path === path)!;

test("the documented successes happen, in the documented shapes", async () => {
  const create = operation("post", "/leads");
  const created = await call(create, create.requestBody!.example, true);
  expect(created.status).toBe(202);
  expectDocumented(create, created);
  requestId = (created.body as { request_id: string }).request_id;

  const status = operation("get", "/leads/status/{request_id}");
  const view = await call(status, undefined, true);
  expect(view.status).toBe(200);
  expectDocumented(status, view);

  const signInOp = operation("post", "/auth/sign-in");
  const signedIn = await call(signInOp, signIn, false);
  expect(signedIn.status).toBe(200);
  expectDocumented(signInOp, signedIn);
});

describe.each(API_OPERATIONS.map((op) => [`${op.method.toUpperCase()} ${op.path}`, op] as const))(
  "%s",
  (_name, op) => {
    test("answers its documented example as documented", async () => {
      expectDocumented(op, await call(op, op.requestBody?.example, op.apiKey));
    });
    if (op.apiKey) {
      test("answers without an API key with its documented 401", async () => {
        const answer = await call(op, op.requestBody?.example, false);
        expect(answer.status).toBe(401);
        expectDocumented(op, answer);
      });
    }
  },
);

test("GET /openapi.json serves the committed docs/openapi.json", async () => {
  const committed = JSON.parse(
    readFileSync(join(__dirname, "..", "..", "..", "..", "docs", "openapi.json"), "utf8"),
  );
  const res = await fetch(`${API_URL}/openapi.json`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual(committed);
});
