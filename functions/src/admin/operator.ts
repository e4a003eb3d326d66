// `npm run admin -- grant-operator`: gives a Firebase Auth user (email/password) the `operator`
// custom claim that the console's security rules require; --revoke takes it away and ends the
// user's sessions. The claim is merged into the user's existing claims, never replacing them.
import { parseArgs } from "node:util";
import { getAuth } from "firebase-admin/auth";

export const OPERATOR_USAGE = `  grant-operator --email <address> [--create] [--revoke]
      Give the Firebase Auth user with this email the operator claim, so it can open the console.
      The user signs in again (or waits up to an hour) before the claim takes effect.
        --create    create the user if it does not exist; the password is read from the
                    environment variable OPERATOR_PASSWORD (never from the command line)
        --revoke    remove the claim and revoke the user's sessions`;

export const AUTH_EMULATOR_HOST = "127.0.0.1:9099";

export interface OperatorDeps {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Points the Admin SDK at the target (the CLI's own connect); returns a line naming it. */
  connect: (emulator: boolean, env: NodeJS.ProcessEnv) => string;
  usage: (message: string) => Error;
}

const OPTIONS = {
  email: { type: "string" },
  create: { type: "boolean" },
  revoke: { type: "boolean" },
  emulator: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Returns the exit code; throws deps.usage(...) for usage errors. */
export async function grantOperator(args: string[], deps: OperatorDeps): Promise<number | "help"> {
  let opts;
  try {
    opts = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw deps.usage(`grant-operator: ${(err as Error).message}`);
  }
  if (opts.help) return "help";
  const email = opts.email?.trim().toLowerCase();
  if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) {
    throw deps.usage("grant-operator: --email <address> is required");
  }
  if (opts.create && opts.revoke)
    throw deps.usage("grant-operator: --create and --revoke exclude each other");
  const password = deps.env.OPERATOR_PASSWORD ?? "";
  if (opts.create && password.length < 6) {
    throw deps.usage("grant-operator: --create needs OPERATOR_PASSWORD (at least 6 characters)");
  }
  if (opts.emulator) deps.env.FIREBASE_AUTH_EMULATOR_HOST ||= AUTH_EMULATOR_HOST;
  const target = deps.connect(opts.emulator === true, deps.env);
  deps.err(`Target: ${target}`);

  const auth = getAuth();
  let user = await auth.getUserByEmail(email).catch((err: { code?: string }) => {
    if (err.code === "auth/user-not-found") return null;
    throw err;
  });
  if (!user) {
    if (!opts.create) {
      deps.err(`error: no user with email ${email} (pass --create to create it)`);
      return 1;
    }
    user = await auth.createUser({ email, password, emailVerified: true });
    deps.err(`Created user ${email} (uid ${user.uid})`);
  }
  const claims = { ...(user.customClaims ?? {}) };
  if (opts.revoke) {
    delete claims.operator;
    await auth.setCustomUserClaims(user.uid, claims);
    await auth.revokeRefreshTokens(user.uid);
    deps.out(`Revoked the operator claim of ${email} (uid ${user.uid}); its sessions are ended.`);
  } else {
    await auth.setCustomUserClaims(user.uid, { ...claims, operator: true });
    deps.out(`Granted the operator claim to ${email} (uid ${user.uid}).`);
  }
  return 0;
}
