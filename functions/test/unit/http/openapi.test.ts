// The OpenAPI contract against the code it describes: the committed copy is current, every route
// the app serves is documented (and nothing else is), and every example is valid for its schema.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createApp } from "../../../src/http/app";
import {
  RequestStatusViewSchema,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
} from "consensus-core";
import { API_OPERATIONS, openApiDocument } from "../../../src/http/openapi";

/** `/leads/status/:requestId` and `/leads/status/{request_id}` both become `/leads/status/{}`. */
const shape = (path: string) => path.replace(/:[^/]+|\{[^}]+\}/g, "{}");

test("docs/openapi.json is the generated document (run `npm run openapi` after changing the API)", () => {
  const committed = JSON.parse(
    readFileSync(join(__dirname, "..", "..", "..", "..", "docs", "openapi.json"), "utf8"),
  );
  expect(committed).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
});

test("every route the app serves is documented, and every documented route is served", () => {
  const stack = (createApp() as unknown as { router: { stack: any[] } }).router.stack;
  const served = stack
    .filter((layer) => layer.route)
    .flatMap((layer) =>
      Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${shape(layer.route.path)}`),
    );
  const documented = API_OPERATIONS.map((op) => `${op.method.toUpperCase()} ${shape(op.path)}`);
  expect([...served].sort()).toEqual([...documented].sort());
});

describe.each(API_OPERATIONS.map((op) => [`${op.method.toUpperCase()} ${op.path}`, op] as const))(
  "%s",
  (_name, op) => {
    if (op.requestBody) {
      const body = op.requestBody;
      test("its request example is valid", () => {
        expect(body.schema.safeParse(body.example).error).toBeUndefined();
      });
    }
    test.each(Object.entries(op.responses))("its %s example is valid", (_status, response) => {
      expect(response.schema.safeParse(response.example).error).toBeUndefined();
    });
  },
);

test("each schema is published once and every $ref resolves", () => {
  const doc = openApiDocument() as { components: { schemas: Record<string, unknown> } };
  const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)];
  expect(refs.length).toBeGreaterThan(0);
  for (const [, name] of refs) expect(Object.keys(doc.components.schemas)).toContain(name);
});

test("the webhook callback names its headers and its example is a status view", () => {
  const doc = openApiDocument() as {
    webhooks: Record<string, { post: Record<string, any> }>;
    components: { schemas: Record<string, any> };
  };
  const post = doc.webhooks.requestFinal.post;
  expect(post.parameters.map((p: { name: string }) => p.name)).toEqual([
    WEBHOOK_ID_HEADER,
    WEBHOOK_SIGNATURE_HEADER,
  ]);
  const body = post.requestBody.content["application/json"];
  expect(body.schema).toEqual({ $ref: "#/components/schemas/RequestStatusView" });
  expect(RequestStatusViewSchema.safeParse(body.example).error).toBeUndefined();
  expect(doc.components.schemas.CreateLeadsRequest.properties.callback_url).toMatchObject({
    type: "string",
    maxLength: 2048,
    format: "uri",
  });
});
