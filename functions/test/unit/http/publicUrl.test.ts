import { functionIdentity, publicBaseUrl } from "../../../src/http/publicUrl";

const deployed = { functionName: "api", emulator: null };
const called = (protocol: string, host: string, originalUrl: string) => ({
  protocol,
  host,
  originalUrl,
  route: "/leads",
});
const poll = (base: string) => `${base}/leads/status/6f1c7a9e-0000-4000-8000-000000000001`;

describe("publicBaseUrl: the poll_url works as returned", () => {
  it("a cloudfunctions.net address gets the function's path back", () => {
    const base = publicBaseUrl(
      called("https", "us-central1-acme-prod.cloudfunctions.net", "/leads"),
      deployed,
    );
    expect(poll(base)).toBe(
      "https://us-central1-acme-prod.cloudfunctions.net/api/leads/status/6f1c7a9e-0000-4000-8000-000000000001",
    );
  });

  it("a Cloud Run address has no function path", () => {
    const base = publicBaseUrl(called("https", "api-x7k2mq3zpa-uc.a.run.app", "/leads"), deployed);
    expect(poll(base)).toBe(
      "https://api-x7k2mq3zpa-uc.a.run.app/leads/status/6f1c7a9e-0000-4000-8000-000000000001",
    );
  });

  it("a Hosting rewrite or custom domain keeps the path it forwarded, without the query", () => {
    expect(publicBaseUrl(called("https", "leads.example.com", "/api/leads?x=1"), deployed)).toBe(
      "https://leads.example.com/api",
    );
  });

  it("the Functions emulator's project/region/function prefix is put back", () => {
    const base = publicBaseUrl(called("http", "127.0.0.1:5001", "/leads"), {
      functionName: "api",
      emulator: { projectId: "demo-consensus", region: "us-central1" },
    });
    expect(base).toBe("http://127.0.0.1:5001/demo-consensus/us-central1/api");
  });

  it("a host name is compared without its port and case", () => {
    const base = publicBaseUrl(
      called("https", "US-CENTRAL1-ACME.CLOUDFUNCTIONS.NET:443", "/leads/"),
      deployed,
    );
    expect(base).toBe("https://US-CENTRAL1-ACME.CLOUDFUNCTIONS.NET:443/api");
  });
});

describe("functionIdentity", () => {
  it("names the function from FUNCTION_TARGET (grouped exports deploy with dashes)", () => {
    expect(functionIdentity({ FUNCTION_TARGET: "v1.api" }, "us-central1")).toEqual({
      functionName: "v1-api",
      emulator: null,
    });
  });

  it("knows the emulator by FUNCTIONS_EMULATOR and takes the project and region", () => {
    expect(
      functionIdentity(
        { FUNCTION_TARGET: "api", FUNCTIONS_EMULATOR: "true", GCLOUD_PROJECT: "demo-consensus" },
        "europe-west1",
      ),
    ).toEqual({
      functionName: "api",
      emulator: { projectId: "demo-consensus", region: "europe-west1" },
    });
  });
});
