import { EMULATOR_DEFAULTS, USAGE, UsageError, parseCli, type NodeCommand } from "../../../src/cli";

const parse = (args: string, env: Record<string, string> = {}) =>
  parseCli(args.split(" ").filter(Boolean), env);
const node = (args: string, env: Record<string, string> = {}) => parse(args, env) as NodeCommand;
const usage = (args: string | string[], env: Record<string, string> = {}) => {
  const argv = typeof args === "string" ? args.split(" ").filter(Boolean) : args;
  let err: unknown;
  try {
    parseCli(argv, env);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(UsageError);
  return (err as Error).message;
};

describe("parseCli: nodes", () => {
  it("validator --uri //Alice --emulator: the emulator defaults", () => {
    expect(node("validator --uri //Alice --emulator")).toEqual({
      command: "validator",
      key: { uri: "//Alice" },
      keySource: "--uri",
      session: {
        apiBaseUrl: "http://127.0.0.1:5001/demo-consensus/us-central1/api",
        projectId: "demo-consensus",
        firebaseApiKey: undefined,
        firestoreEmulatorHost: "127.0.0.1:8080",
        authEmulatorHost: "127.0.0.1:9099",
      },
      // No --heartbeat-ms: the node takes the period the backend gives at sign-in.
      logFormat: "text",
      waitBound: {},
    });
    expect(EMULATOR_DEFAULTS.projectId).toBe("demo-consensus");
  });

  it("explicit flags and emulator env win over the --emulator defaults", () => {
    const cmd = node(
      "miner --key-file /keys/ferdie.json --emulator --api http://localhost:9000/api/ --project demo-x",
      { FIRESTORE_EMULATOR_HOST: "localhost:8181" },
    );
    expect(cmd.command).toBe("miner");
    expect(cmd.key).toEqual({ keyFile: "/keys/ferdie.json" });
    expect(cmd.session).toMatchObject({
      apiBaseUrl: "http://localhost:9000/api",
      projectId: "demo-x",
      firestoreEmulatorHost: "localhost:8181",
      authEmulatorHost: "127.0.0.1:9099",
    });
  });

  it("production: --api and --project, no emulator hosts, FIREBASE_API_KEY from the env", () => {
    const cmd = node("validator --uri //Bob --api https://api.example.com --project prod-1", {
      FIREBASE_API_KEY: "AIza-test",
    });
    expect(cmd.session).toEqual({
      apiBaseUrl: "https://api.example.com",
      projectId: "prod-1",
      firebaseApiKey: "AIza-test",
      firestoreEmulatorHost: undefined,
      authEmulatorHost: undefined,
    });
  });

  it("reads the mnemonic from the named variable", () => {
    const cmd = node("miner --mnemonic-env MY_WORDS --emulator", { MY_WORDS: "a b c" });
    expect(cmd.key).toEqual({ mnemonic: "a b c" });
    expect(cmd.keySource).toBe("$MY_WORDS");
    expect(JSON.stringify(cmd.keySource)).not.toContain("a b c");
    expect(usage("miner --mnemonic-env MY_WORDS --emulator")).toMatch(/MY_WORDS is not set/);
    expect(usage("miner --mnemonic-env 1BAD --emulator")).toMatch(
      /name of an environment variable/,
    );
  });

  it("takes everything from the environment as an alternative", () => {
    const cmd = node("validator", {
      NODE_SECRET_URI: "//Alice",
      CONSENSUS_API_URL: "http://127.0.0.1:5001/p/us-central1/api",
      CONSENSUS_PROJECT_ID: "p",
      NODE_HEARTBEAT_MS: "15000",
      LOG_FORMAT: "json",
    });
    expect(cmd).toMatchObject({
      key: { uri: "//Alice" },
      keySource: "$NODE_SECRET_URI",
      session: { apiBaseUrl: "http://127.0.0.1:5001/p/us-central1/api", projectId: "p" },
      heartbeatMs: 15_000,
      logFormat: "json",
    });
    expect(node("miner", { NODE_KEY_FILE: "/k.json", CONSENSUS_EMULATOR: "1" }).key).toEqual({
      keyFile: "/k.json",
    });
    expect(node("miner", { NODE_MNEMONIC: "w o r d s", CONSENSUS_EMULATOR: "true" }).key).toEqual({
      mnemonic: "w o r d s",
    });
  });

  it("flags override the key in the environment", () => {
    expect(node("validator --uri //Bob --emulator", { NODE_SECRET_URI: "//Alice" }).key).toEqual({
      uri: "//Bob",
    });
  });

  it("validator wait bounds, heartbeat and log format", () => {
    const cmd = node(
      "validator --uri //Alice --emulator --wait-after-first 10000 --settle-ms 1500 --settle-per-missing-ms 100 --max-wait-ms 30000 --deadline-margin-ms 5000 --heartbeat-ms 5000 --log-format json",
    );
    expect(cmd.waitBound).toEqual({
      afterFirstMs: 10_000,
      settleMs: 1_500,
      settlePerMissingMs: 100,
      maxWaitMs: 30_000,
      deadlineMarginMs: 5_000,
    });
    expect(cmd.heartbeatMs).toBe(5_000);
    expect(cmd.logFormat).toBe("json");
    expect(node("miner --uri //Ferdie --emulator --lead-pool /p.json").leadPoolPath).toBe(
      "/p.json",
    );
  });

  it.each([
    ["validator --emulator", /no hotkey/],
    ["validator --uri //Alice --key-file k.json --emulator", /exactly one of/],
    ["validator --uri //Alice", /no API URL/],
    ["validator --uri //Alice --api http://x", /no Firebase project/],
    ["validator --uri //Alice --api ftp://x --project p", /--api must be an http\(s\) URL/],
    ["validator --uri //Alice --emulator --heartbeat-ms 1000", /at least 5000/],
    ["validator --uri //Alice --emulator --heartbeat-ms 1e4", /whole number/],
    ["validator --uri //Alice --emulator --wait-after-first -5", /./],
    ["validator --uri //Alice --emulator --log-format xml", /text" or "json/],
    ["validator --uri //Alice --emulator --bogus", /unknown option '--bogus'/i],
    ["validator --uri //Alice --emulator extra", /too many arguments/],
    ["validator --uri", /argument missing/],
    ["miner --uri //Ferdie --emulator --settle-ms 5", /--settle-ms is a validator option/],
    ["validator --uri //Alice --emulator --lead-pool x", /--lead-pool is a miner option/],
  ])("%s -> usage error", (args, message) => {
    expect(usage(args)).toMatch(message);
  });

  it("a btcli wallet: --wallet.* flags, BT_WALLET_* fallbacks, btcli's defaults", () => {
    expect(node("miner --wallet.name op --emulator")).toMatchObject({
      key: { wallet: { name: "op", hotkey: "default", path: "~/.bittensor/wallets" } },
      keySource: "wallet op hotkey default in ~/.bittensor/wallets",
    });
    expect(
      node("miner --wallet.hotkey m1 --wallet.path /w --emulator", { BT_WALLET_NAME: "op" }).key,
    ).toEqual({ wallet: { name: "op", hotkey: "m1", path: "/w" } });
    expect(node("validator --emulator", { BT_WALLET_HOTKEY: "v1" }).key).toEqual({
      wallet: { name: "default", hotkey: "v1", path: "~/.bittensor/wallets" },
    });
    // A flag source wins over the wallet in the environment, as over any hotkey variable.
    expect(node("validator --uri //Bob --emulator", { BT_WALLET_NAME: "op" }).key).toEqual({
      uri: "//Bob",
    });
  });

  it("plug-ins: a module or a URL per role, and their timeout", () => {
    expect(node("miner --uri //F --emulator --curator ./my-curator.js").curator).toEqual({
      module: "./my-curator.js",
    });
    const v = node(
      "validator --uri //A --emulator --ranker-url http://127.0.0.1:8000/rank/ --plugin-timeout-ms 2500",
    );
    expect(v.ranker).toEqual({ url: "http://127.0.0.1:8000/rank" });
    expect(v.pluginTimeoutMs).toBe(2500);
    expect(node("miner --uri //F --emulator", { MINER_CURATOR_URL: "http://h/c" }).curator).toEqual(
      { url: "http://h/c" },
    );
  });

  it.each([
    ["miner --uri //F --wallet.name w --emulator", /exactly one of .*--wallet/],
    ["miner --wallet.name ../x --emulator", /--wallet.name must be a plain name/],
    ["miner --wallet.hotkey a/b --emulator", /--wallet.hotkey must be a plain name/],
    ["miner --uri //F --emulator --curator a.js --curator-url http://h", /give one of --curator/],
    ["miner --uri //F --emulator --curator a.js --lead-pool p.json", /replaces the lead pool/],
    ["miner --uri //F --emulator --curator-url file:///x", /--curator-url must be an http/],
    ["miner --uri //F --emulator --ranker r.js", /--ranker is a validator option/],
    ["validator --uri //A --emulator --curator-url http://h", /--curator-url is a miner option/],
    ["validator --uri //A --emulator --plugin-timeout-ms 0", /at least 1/],
  ])("%s -> usage error", (args, message) => {
    expect(usage(args)).toMatch(message);
  });

  it("refuses a wallet and another hotkey both in the environment", () => {
    expect(usage("miner --emulator", { BT_WALLET_NAME: "w", NODE_MNEMONIC: "x" })).toMatch(
      /set only one of .*BT_WALLET_\*/,
    );
  });

  it("reads each variable through commander: parsed, checked and named like its flag", () => {
    expect(usage("validator --uri //A --project p", { CONSENSUS_API_URL: "ftp://x" })).toMatch(
      /--api must be an http\(s\) URL, got "ftp:\/\/x"/,
    );
    expect(usage("validator --uri //A --emulator", { NODE_HEARTBEAT_MS: "10" })).toMatch(
      /--heartbeat-ms must be at least 5000/,
    );
    expect(
      usage("miner --uri //F --emulator --curator-url http://h", { MINER_CURATOR: "c.js" }),
    ).toMatch(/give one of --curator and --curator-url/);
    // A blank variable is unset; the other role's variables are not read.
    expect(
      node("validator --uri //A --emulator", { CONSENSUS_API_URL: " " }).session.apiBaseUrl,
    ).toBe(EMULATOR_DEFAULTS.apiBaseUrl);
    expect(
      node("validator --uri //A --emulator", { MINER_LEAD_POOL: "/p.json" }),
    ).not.toHaveProperty("leadPoolPath");
  });

  it("CONSENSUS_EMULATOR=0 (or false, no, off) is off", () => {
    for (const off of ["0", "false", "no", "off"]) {
      expect(usage("validator --uri //A", { CONSENSUS_EMULATOR: off })).toMatch(/no API URL/);
    }
    expect(node("validator --uri //A", { CONSENSUS_EMULATOR: "yes" }).session.projectId).toBe(
      EMULATOR_DEFAULTS.projectId,
    );
  });

  it("reads only the environment it is given, not the process's", () => {
    process.env.CONSENSUS_API_KEY = "lpk_from_process";
    try {
      expect(usage(["request", "--num", "1", "--desc", "x", "--emulator"], {})).toMatch(
        /no API key/,
      );
    } finally {
      delete process.env.CONSENSUS_API_KEY;
    }
    expect(process.env.CONSENSUS_API_KEY).toBeUndefined();
  });

  it("refuses two hotkeys in the environment", () => {
    expect(usage("miner --emulator", { NODE_SECRET_URI: "//A", NODE_KEY_FILE: "/k" })).toMatch(
      /set only one of NODE_SECRET_URI, NODE_MNEMONIC, NODE_KEY_FILE/,
    );
  });
});

describe("parseCli: request and help", () => {
  it("request --key KEY --num N --desc ...", () => {
    expect(
      parseCli(
        ["request", "--key", "lpk_x", "--num", "5", "--desc", "B2B SaaS for clinics", "--emulator"],
        {},
      ),
    ).toEqual({
      command: "request",
      apiBaseUrl: EMULATOR_DEFAULTS.apiBaseUrl,
      apiKey: "lpk_x",
      numLeads: 5,
      businessDesc: "B2B SaaS for clinics",
      json: false,
    });
    expect(
      parseCli(
        ["request", "--num", "1", "--desc", "x", "--json", "--api", "https://a.example/api"],
        {
          CONSENSUS_API_KEY: "lpk_env",
        },
      ),
    ).toMatchObject({ apiKey: "lpk_env", json: true, apiBaseUrl: "https://a.example/api" });
    expect(
      parseCli([
        "request",
        "--key",
        "k",
        "--num",
        "1",
        "--desc",
        "x",
        "--emulator",
        "--idempotency-key",
        "run-42",
      ]),
    ).toMatchObject({ idempotencyKey: "run-42" });
  });

  it.each([
    [["request", "--num", "5", "--desc", "x", "--emulator"], /no API key/],
    [["request", "--key", "k", "--desc", "x", "--emulator"], /--num N is required/],
    [["request", "--key", "k", "--num", "5", "--emulator"], /--desc "\.\.\." is required/],
    [["request", "--key", "k", "--num", "0", "--desc", "x", "--emulator"], /--num: .*>=1/],
    [["request", "--key", "k", "--num", "101", "--desc", "x", "--emulator"], /--num: .*<=100/],
    [["request", "--key", "k", "--num", "five", "--desc", "x", "--emulator"], /whole number/],
    [["request", "--key", "k", "--num", "5", "--desc", "   ", "--emulator"], /--desc/],
    [["request", "--key", "k", "--num", "5", "--desc", "x"], /no API URL/],
    [
      [
        "request",
        "--key",
        "k",
        "--num",
        "5",
        "--desc",
        "x",
        "--emulator",
        "--idempotency-key",
        "a b",
      ],
      /--idempotency-key/,
    ],
    [
      ["request", "--key", "k", "--num", "5", "--desc", "x", "--emulator", "--uri", "//A"],
      /unknown option/i,
    ],
  ])("%j -> usage error", (args, message) => {
    expect(usage(args as string[])).toMatch(message);
  });

  it("help, -h, --help, and unknown or missing commands", () => {
    expect(parse("help")).toEqual({ command: "help" });
    expect(parse("--help")).toEqual({ command: "help" });
    expect(parse("validator -h")).toEqual({ command: "help" });
    expect(usage("")).toMatch(/missing command/);
    expect(usage("serve")).toMatch(/unknown command "serve"/);
  });
});

describe("generated help", () => {
  it("lists every command, flag and environment fallback once per command", () => {
    const help = USAGE.replace(/\s+/g, " ");
    for (const flag of [
      "--uri",
      "--key-file",
      "--wallet.name",
      "--wallet.hotkey",
      "--wallet.path",
      "--curator-url",
      "--ranker",
      "--plugin-timeout-ms",
      "--heartbeat-ms",
      "--lead-pool",
      "--settle-ms",
    ]) {
      expect(help).toContain(flag);
    }
    for (const variable of [
      "NODE_SECRET_URI",
      "CONSENSUS_API_KEY",
      "MINER_LEAD_POOL",
      "BT_WALLET_NAME",
      "BT_WALLET_HOTKEY",
      "BT_WALLET_PATH",
    ]) {
      expect(help).toContain(`(env: ${variable})`);
    }
    // The other role's flags are accepted only to be refused by name, never offered in its help.
    const validatorHelp = USAGE.slice(
      USAGE.indexOf("Usage: consensus-node validator"),
      USAGE.indexOf("Usage: consensus-node miner"),
    );
    expect(validatorHelp).toContain("--settle-ms");
    expect(validatorHelp).not.toContain("--lead-pool");
  });
});

describe("parseCli: weights", () => {
  const weights = (...args: string[]) => parseCli(["weights", ...args], {});
  const refused = (...args: string[]) => {
    try {
      weights(...args);
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      return (err as Error).message;
    }
    throw new Error("expected a usage error");
  };

  it("takes the validator's hotkey, the netuid and the emulator connection", () => {
    expect(weights("--netuid", "1", "--emulator", "--uri", "//Alice", "--json")).toEqual({
      command: "weights",
      key: { uri: "//Alice" },
      keySource: "--uri",
      session: {
        apiBaseUrl: EMULATOR_DEFAULTS.apiBaseUrl,
        projectId: EMULATOR_DEFAULTS.projectId,
        firebaseApiKey: undefined,
        firestoreEmulatorHost: EMULATOR_DEFAULTS.firestoreEmulatorHost,
        authEmulatorHost: EMULATOR_DEFAULTS.authEmulatorHost,
      },
      netuid: 1,
      json: true,
      set: false,
    });
  });

  it("reads --set, --chain, --every, --version-key and --max-weight-limit", () => {
    expect(
      weights(
        ...["--netuid", "71", "--emulator", "--uri", "//Alice", "--chain", "wss://x.example"],
        ...["--set", "--every", "60", "--version-key", "18446744073709551615"],
        ...["--max-weight-limit", "0.5"],
      ),
    ).toMatchObject({
      netuid: 71,
      chain: "wss://x.example",
      set: true,
      everyMinutes: 60,
      versionKey: 18_446_744_073_709_551_615n,
      maxWeightLimit: 0.5,
    });
  });

  it.each<[string[], RegExp]>([
    [["--emulator", "--uri", "//Alice"], /--netuid N is required/],
    [["--netuid", "70000", "--emulator", "--uri", "//A"], /at most 65535/],
    [["--netuid", "1", "--emulator", "--uri", "//A", "--set"], /--set needs --chain/],
    [
      ["--netuid", "1", "--emulator", "--uri", "//A", "--chain", "https://x"],
      /ws:\/\/ or wss:\/\//,
    ],
    [["--netuid", "1", "--emulator", "--uri", "//A", "--every", "0"], /at least 1 minute/],
    [["--netuid", "1", "--emulator", "--uri", "//A", "--max-weight-limit", "2"], /\(0, 1\]/],
    [["--netuid", "1", "--emulator", "--uri", "//A", "--version-key", "-1"], /--version-key/],
    [["--netuid", "1", "--emulator"], /no hotkey/],
    [["--netuid", "1", "--emulator", "--uri", "//A", "--lead-pool", "x"], /unknown option/],
  ])("refuses %j", (args, message) => {
    expect(refused(...args)).toMatch(message);
  });

  it("has its own help", () => {
    expect(USAGE).toContain("Usage: consensus-node weights");
    expect(USAGE).toContain("--max-weight-limit");
  });
});
