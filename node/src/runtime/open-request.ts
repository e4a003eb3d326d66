// Reads an `api_requests` document into the fields a node works from, or refuses it.
import type { DocumentData } from "firebase/firestore";
import { OPEN_STATUSES, type RequestStatus } from "consensus-core";

/** An open `api_requests` document as a node needs it. */
export interface OpenRequest {
  request_id: string;
  num_leads: number;
  business_desc: string;
  status: RequestStatus;
  createdAtMs: number;
  timeoutMs: number;
  validatorDeadlineMs: number;
  expected_validators: string[];
  /** Miners expected to answer (submit or decline); null on requests that do not record them. */
  expected_miners: string[] | null;
}

const millis = (v: unknown): number | null =>
  v && typeof (v as { toMillis?: unknown }).toMillis === "function"
    ? (v as { toMillis(): number }).toMillis()
    : null;

const hotkeys = (v: unknown[]): string[] => v.filter((h): h is string => typeof h === "string");

/** Reads the fields a node uses; null when the document is not a well-formed open request. */
export function parseOpenRequest(id: string, data: DocumentData): OpenRequest | null {
  const createdAtMs = millis(data.created_at);
  const timeoutMs = millis(data.timeout);
  const validatorDeadlineMs = millis(data.validator_deadline);
  if (
    typeof data.num_leads !== "number" ||
    typeof data.business_desc !== "string" ||
    !OPEN_STATUSES.includes(data.status) ||
    createdAtMs === null ||
    timeoutMs === null ||
    validatorDeadlineMs === null ||
    !Array.isArray(data.expected_validators)
  ) {
    return null;
  }
  return {
    request_id: id,
    num_leads: data.num_leads,
    business_desc: data.business_desc,
    status: data.status,
    createdAtMs,
    timeoutMs,
    validatorDeadlineMs,
    expected_validators: hotkeys(data.expected_validators),
    expected_miners: Array.isArray(data.expected_miners) ? hotkeys(data.expected_miners) : null,
  };
}
