// A node's own signed document (submission, decline, ranking), written at most once.
import type { KeyringPair } from "@polkadot/keyring/types";
import { u8aToHex } from "@polkadot/util";
import {
  doc,
  getDoc,
  serverTimestamp,
  setDoc,
  type Firestore,
  type FirestoreError,
} from "firebase/firestore";
import { COLLECTIONS, LIMITS, canonicalBytes } from "consensus-core";

/** The byte limit of each signed collection's content (canonical JSON, UTF-8). */
const BYTE_LIMITS: Readonly<Record<string, number>> = {
  [COLLECTIONS.submissions]: LIMITS.submissionBytesMax,
  [COLLECTIONS.rankings]: LIMITS.rankingBytesMax,
};

/**
 * Throws, naming the document, its size and the limit, when `content` is over its collection's
 * byte limit: the backend would refuse it (`content_too_large`), and Firestore refuses a
 * document over 1 MiB, so the node never signs or writes it.
 */
export function assertWithinByteLimit(
  collectionName: string,
  docId: string,
  content: object,
): void {
  const limit = BYTE_LIMITS[collectionName];
  if (limit === undefined) return;
  const bytes = canonicalBytes(content);
  if (bytes > limit) {
    throw new Error(
      `refusing to write ${collectionName}/${docId}: its signed content is ${bytes} bytes of canonical JSON (UTF-8), over the limit of ${limit}`,
    );
  }
}

/** True when the node's own document for this request already exists (restart, duplicate). */
export async function ownDocExists(
  db: Firestore,
  collectionName: string,
  docId: string,
): Promise<boolean> {
  return (await getDoc(doc(db, collectionName, docId))).exists();
}

/**
 * Signs `payload` (the canonical form of `content`) and creates the node's own document with a
 * server timestamp, unless it already exists: false then. The create is tried first and the
 * existence read only follows a refusal (the rules refuse a second write to the same document),
 * so the usual case costs one round trip on the round's critical path instead of two.
 */
export async function writeSignedOnce(
  db: Firestore,
  pair: KeyringPair,
  target: { collectionName: string; docId: string },
  content: object,
  payload: string,
): Promise<boolean> {
  assertWithinByteLimit(target.collectionName, target.docId, content);
  const signature = u8aToHex(pair.sign(payload));
  try {
    await setDoc(doc(db, target.collectionName, target.docId), {
      ...content,
      signature,
      submitted_at: serverTimestamp(),
    });
    return true;
  } catch (err) {
    // Refused because a restart or a duplicate event wrote it first; any other refusal (the
    // request closed meanwhile) is the caller's to report.
    if (
      (err as FirestoreError).code === "permission-denied" &&
      (await ownDocExists(db, target.collectionName, target.docId))
    ) {
      return false;
    }
    throw err;
  }
}
