// poll_url's base comes from configuration only (issue 20: request headers put an attacker's
// scheme and host into it).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  EMULATOR_FUNCTIONS_ORIGIN,
  functionIdentity,
  parsePublicApiUrl,
  publicBaseUrl,
  PublicUrlConfigError,
} from "../../../src/http/publicUrl";

const deployed = {
  functionName: "api",
  projectId: "acme-prod",
  region: "us-central1",
  emulator: false,
};

describe("publicBaseUrl", () => {
  it("production: the function's cloudfunctions.net address from project, region and name", () => {
    expect(publicBaseUrl("", deployed)).toBe(
      "https://us-central1-acme-prod.cloudfunctions.net/api",
    );
    expect(publicBaseUrl("", { ...deployed, region: "europe-west1", functionName: "v1-api" })).toBe(
      "https://europe-west1-acme-prod.cloudfunctions.net/v1-api",
    );
  });

  it("the Functions emulator: its origin, then project, region and function", () => {
    expect(publicBaseUrl("", { ...deployed, projectId: "demo-consensus", emulator: true })).toBe(
      "http://127.0.0.1:5001/demo-consensus/us-central1/api",
    );
  });

  it("PUBLIC_API_URL (a custom domain or Hosting rewrite) wins, normalised", () => {
    expect(publicBaseUrl("https://leads.example.com/api/", deployed)).toBe(
      "https://leads.example.com/api",
    );
    expect(publicBaseUrl("  https://LEADS.example.com  ", deployed)).toBe(
      "https://leads.example.com",
    );
    expect(publicBaseUrl("http://localhost:8080/x", { ...deployed, emulator: true })).toBe(
      "http://localhost:8080/x",
    );
  });

  it.each([
    ["a scheme other than http(s)", "javascript://evil.example/api"],
    ["a relative path", "/api"],
    ["no scheme", "leads.example.com/api"],
    ["credentials", "https://user:pw@leads.example.com/api"],
    ["a query", "https://leads.example.com/api?x=1"],
    ["a fragment", "https://leads.example.com/api#x"],
  ])("a PUBLIC_API_URL with %s fails loudly, naming the param", (_what, raw) => {
    expect(() => parsePublicApiUrl(raw)).toThrow(PublicUrlConfigError);
    expect(() => parsePublicApiUrl(raw)).toThrow(/PUBLIC_API_URL/);
  });

  it("without a project id and without PUBLIC_API_URL it refuses to guess", () => {
    expect(() => publicBaseUrl("", { ...deployed, projectId: null })).toThrow(/PUBLIC_API_URL/);
  });

  it("the emulator origin is the one firebase.json declares", () => {
    const config = JSON.parse(
      readFileSync(resolve(__dirname, "../../../../firebase.json"), "utf8"),
    ) as { emulators: { functions: { host: string; port: number } } };
    const { host, port } = config.emulators.functions;
    expect(EMULATOR_FUNCTIONS_ORIGIN).toBe(`http://${host}:${port}`);
  });
});

describe("functionIdentity", () => {
  it("names the function from FUNCTION_TARGET (grouped exports deploy with dashes)", () => {
    expect(
      functionIdentity({ FUNCTION_TARGET: "v1.api", GCLOUD_PROJECT: "acme-prod" }, "us-central1"),
    ).toEqual({
      functionName: "v1-api",
      projectId: "acme-prod",
      region: "us-central1",
      emulator: false,
    });
  });

  it("knows the emulator by FUNCTIONS_EMULATOR", () => {
    expect(
      functionIdentity(
        { FUNCTION_TARGET: "api", FUNCTIONS_EMULATOR: "true", GCLOUD_PROJECT: "demo-consensus" },
        "europe-west1",
      ),
    ).toEqual({
      functionName: "api",
      projectId: "demo-consensus",
      region: "europe-west1",
      emulator: true,
    });
  });

  it("takes the project from FIREBASE_CONFIG when GCLOUD_PROJECT is absent", () => {
    const fn = functionIdentity(
      { K_SERVICE: "api", FIREBASE_CONFIG: JSON.stringify({ projectId: "acme-prod" }) },
      "us-central1",
    );
    expect(fn.projectId).toBe("acme-prod");
    expect(functionIdentity({ FIREBASE_CONFIG: "not json" }, "us-central1").projectId).toBeNull();
  });
});
