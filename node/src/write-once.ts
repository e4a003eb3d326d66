// A node's own signed document (submission, decline, ranking), written at most once.
import type { KeyringPair } from "@polkadot/keyring/types";
import { u8aToHex } from "@polkadot/util";
import { doc, getDoc, serverTimestamp, setDoc, type Firestore } from "firebase/firestore";

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
 * server timestamp, unless it already exists: false then. Checked right before the write, since a
 * duplicate event or a restart may have raced this one.
 */
export async function writeSignedOnce(
  db: Firestore,
  pair: KeyringPair,
  target: { collectionName: string; docId: string },
  content: object,
  payload: string,
): Promise<boolean> {
  const signature = u8aToHex(pair.sign(payload));
  if (await ownDocExists(db, target.collectionName, target.docId)) return false;
  await setDoc(doc(db, target.collectionName, target.docId), {
    ...content,
    signature,
    submitted_at: serverTimestamp(),
  });
  return true;
}
