// Response values the simulator's handlers return, and Harbor's error envelope/status-code table.

/** A response before it is written: handlers build these so faults can swallow them after the state changed. */
export interface SimResponse {
  /** HTTP status. */
  status: number;
  /** Extra response headers (X-Request-Id and Content-Type are added by the server). */
  headers: Record<string, string>;
  /** JSON value (serialised by the server), a text body, or undefined for no body. */
  json?: unknown;
  /** A text body (used when `json` is undefined). */
  text?: string;
}

/** Harbor error codes by status (src/lib/errors + go-openapi's UPPER(StatusText) for router/binding errors). */
const CODE_BY_STATUS: Record<number, string> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  409: "CONFLICT",
  412: "PRECONDITION",
  422: "UNPROCESSABLE_ENTITY",
  429: "TOO_MANY_REQUEST",
};

/** Harbor's error code for a status; any 5xx or unknown status is UNKNOWN. */
export function codeForStatus(status: number): string {
  return CODE_BY_STATUS[status] ?? "UNKNOWN";
}

/** Thrown by handlers; the server turns it into Harbor's `{"errors":[...]}` envelope. */
export class HarborSimError extends Error {
  /**
   * @param status - HTTP status to answer.
   * @param code - Harbor error code, e.g. `BAD_REQUEST`.
   * @param message - Harbor's error message.
   */
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "HarborSimError";
  }
}

/** Error with Harbor's standard code for the status. */
export function harborError(status: number, message: string): HarborSimError {
  return new HarborSimError(status, codeForStatus(status), message);
}

/** go-swagger binding failure: 422 with the composite-validation message. */
export function validationFailure(details: string[]): HarborSimError {
  return new HarborSimError(422, "UNPROCESSABLE_ENTITY", `validation failure list:\n${details.join("\n")}`);
}

/** Harbor hides the cause of every 5xx behind this constant message. */
export function internalError(): HarborSimError {
  return new HarborSimError(500, "UNKNOWN", "internal server error");
}

/** The error envelope response for an error. */
export function errorResponse(status: number, code: string, message: string): SimResponse {
  // Harbor rewrites every 5xx to UNKNOWN/"internal server error" (src/lib/http/error.go).
  if (status >= 500) {
    code = "UNKNOWN";
    message = "internal server error";
  }
  return { status, headers: {}, json: { errors: [{ code, message }] } };
}

/** A 200/201 with a JSON body. */
export function jsonResponse(status: number, json: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, headers, json };
}

/** A response without a body. */
export function emptyResponse(status: number, headers: Record<string, string> = {}): SimResponse {
  return { status, headers };
}
