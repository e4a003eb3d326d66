// `npm run admin -- grant-operator`: gives a Firebase Auth user (email/password) the console's
// operator access, which the security rules grant only to a token carrying the `operator` claim
// whose uid also has an `operators/{uid}` document. --revoke deletes the document (access ends at
// once, even for ID tokens issued before), removes the claim and ends the user's sessions. The claim
// is merged into the user's existing claims, never replacing them.
//
// Whose account gets the access: anyone can sign up with any email through the Auth REST API and
// the project's public web API key, so an existing account may belong to someone who signed up
// with the address the administrator is about to grant (issue 20). The command therefore grants
// only to an account it creates itself (--create, which fails if the email is taken) or, with
// --existing, to one whose email is verified (its owner proved control of the inbox).
import { parseArgs } from "node:util";
import { getAuth, type UserRecord } from "firebase-admin/auth";
import { FieldValue } from "firebase-admin/firestore";
import { COLLECTIONS } from "consensus-core";
import { db } from "../db";

export const OPERATOR_USAGE = `  grant-operator --email <address> (--create | --existing | --revoke)
      Give a Firebase Auth user operator access to the console: the operator claim and an
      operators/{uid} record, both of which the security rules require. The user signs in again
      (or waits up to an hour) before the claim takes effect.
        --create    create the user and grant it; the password is read from the environment
                    variable OPERATOR_PASSWORD (never from the command line). Fails, changing
                    nothing, if an account with this email already exists (someone may have
                    signed up with it: check it, then use --existing)
        --existing  grant an account that already exists; refused unless its email is verified
        --revoke    delete the record (access ends at once, even for tokens already issued),
                    remove the claim and end the user's sessions`;

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
  existing: { type: "boolean" },
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
  const modes = (["create", "existing", "revoke"] as const).filter((m) => opts[m]);
  if (modes.length !== 1) {
    throw deps.usage(
      modes.length === 0
        ? "grant-operator: say which: --create (a new account), --existing (a verified one) or --revoke"
        : `grant-operator: --${modes.join(" and --")} exclude each other`,
    );
  }
  const mode = modes[0];
  const password = deps.env.OPERATOR_PASSWORD ?? "";
  if (mode === "create" && password.length < 6) {
    throw deps.usage("grant-operator: --create needs OPERATOR_PASSWORD (at least 6 characters)");
  }
  if (opts.emulator) deps.env.FIREBASE_AUTH_EMULATOR_HOST ||= AUTH_EMULATOR_HOST;
  const target = deps.connect(opts.emulator === true, deps.env);
  deps.err(`Target: ${target}`);

  const auth = getAuth();
  const found = await auth.getUserByEmail(email).catch((err: { code?: string }) => {
    if (err.code === "auth/user-not-found") return null;
    throw err;
  });

  if (mode === "create") {
    if (found) {
      deps.err(
        `error: an account with email ${email} already exists (uid ${found.uid}, email ` +
          `${found.emailVerified ? "verified" : "NOT verified"}); nothing changed. --create grants ` +
          `only an account it creates: someone may have signed up with this address. If the ` +
          `account is yours and its email is verified, run again with --existing; otherwise ` +
          `delete it (Firebase console > Authentication) and run --create again.`,
      );
      return 1;
    }
    let user: UserRecord;
    try {
      user = await auth.createUser({ email, password, emailVerified: true });
    } catch (err) {
      // Someone signed up with the address between the lookup and the create.
      if ((err as { code?: string }).code === "auth/email-already-exists") {
        deps.err(
          `error: an account with email ${email} was just created by someone else; nothing changed.`,
        );
        return 1;
      }
      throw err;
    }
    deps.err(`Created user ${email} (uid ${user.uid})`);
    await grant(user);
    deps.out(`Granted operator access to ${email} (uid ${user.uid}).`);
    return 0;
  }

  if (!found) {
    deps.err(
      `error: no user with email ${email}` +
        (mode === "existing" ? " (use --create to create it)" : ""),
    );
    return 1;
  }

  if (mode === "existing") {
    if (!found.emailVerified) {
      deps.err(
        `error: the account ${email} (uid ${found.uid}) has not verified its email, so nothing ` +
          `shows it belongs to the address's owner (anyone can sign up with any email); nothing ` +
          `changed. Have its owner verify the email, or delete the account and use --create.`,
      );
      return 1;
    }
    await grant(found);
    deps.out(`Granted operator access to ${email} (uid ${found.uid}).`);
    return 0;
  }

  // --revoke: the record first, so access ends even if a later step fails; then the claim, so a
  // refreshed token no longer carries it; then the sessions.
  await db().collection(COLLECTIONS.operators).doc(found.uid).delete();
  const claims = { ...(found.customClaims ?? {}) };
  delete claims.operator;
  await auth.setCustomUserClaims(found.uid, claims);
  await auth.revokeRefreshTokens(found.uid);
  deps.out(
    `Revoked operator access of ${email} (uid ${found.uid}): its record is deleted (its ID ` +
      `tokens read nothing from now on), the claim removed and its sessions ended.`,
  );
  return 0;
}

/** The claim (merged into the user's claims) and then the record the rules also require. */
async function grant(user: UserRecord): Promise<void> {
  await getAuth().setCustomUserClaims(user.uid, { ...(user.customClaims ?? {}), operator: true });
  await db()
    .collection(COLLECTIONS.operators)
    .doc(user.uid)
    .set({ uid: user.uid, email: user.email ?? null, granted_at: FieldValue.serverTimestamp() });
}
