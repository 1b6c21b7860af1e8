// What Harbor's database and clients cannot hold: column sizes, NUL, unpaired surrogates, control and bidi characters.

/**
 * Harbor's column limits for the inputs it does not validate itself (a violation is an opaque 500 at `up`):
 * `registry.url` varchar(256), `registry.access_key` varchar(255) in every released Harbor (4096 from 2.16), and
 * `registry.access_secret` varchar(4096) holding `<enc-v1>` + base64(16-byte IV + AES-CFB ciphertext).
 */
export const HARBOR_COLUMN_LIMITS = {
  /** Characters of the normalised endpoint URL. */
  endpointUrlCharacters: 256,
  /** Characters of the access id. */
  accessIdCharacters: 255,
  /** UTF-8 bytes of the access secret: the largest n with 8 + 4·⌈(16 + n) / 3⌉ ≤ 4096. */
  accessSecretBytes: 3050,
} as const;

/** One failure; the reason never contains the value. */
export interface ColumnFailure {
  property: string;
  reason: string;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// Tabs and line breaks are ordinary in a description; the other controls (escape sequences …) are not.
const DESCRIPTION_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
// Bidirectional overrides, embeddings, isolates and marks make a name, host or user read differently than it is.
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

const characters = (s: string) => [...s].length;

/** Whether `s` holds an unpaired surrogate, which Harbor's JSON decoder would turn into U+FFFD. */
function hasLoneSurrogate(s: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

const LONE_SURROGATE_REASON = "holds an unpaired UTF-16 surrogate, which is not text: Harbor would store U+FFFD in its place";

/**
 * Checks the text inputs (already normalised by `check`, `endpointUrl` as Harbor stores it) against what Harbor can
 * store and show faithfully. Only string values are looked at; the caller passes the fields it has validated so far.
 */
export function checkHarborColumns(inputs: Partial<Record<string, unknown>>): ColumnFailure[] {
  const failures: ColumnFailure[] = [];
  const text = (key: string): string | undefined => (typeof inputs[key] === "string" ? (inputs[key] as string) : undefined);
  const fail = (property: string, reason: string) => failures.push({ property, reason });

  for (const key of ["name", "description", "endpointUrl", "accessId", "accessSecret", "caCertificate"]) {
    const value = text(key);
    if (value !== undefined && hasLoneSurrogate(value)) fail(key, LONE_SURROGATE_REASON);
  }
  const failed = new Set(failures.map((f) => f.property));
  const check = (key: string, rule: (value: string) => string | undefined) => {
    const value = text(key);
    if (value === undefined || failed.has(key)) return;
    const reason = rule(value);
    if (reason !== undefined) fail(key, reason);
  };

  check("name", (v) => {
    if (v.includes("\u0000")) return "must not contain a NUL character (Harbor's database cannot store it)";
    if (CONTROL.test(v)) return "must not contain control characters (such as a newline, tab or escape)";
    if (BIDI.test(v)) return "must not contain bidirectional control characters (U+202E and the like), which make a name display as another";
    return undefined;
  });
  check("description", (v) => {
    if (v.includes("\u0000")) return "must not contain a NUL character (Harbor's database cannot store it)";
    if (DESCRIPTION_CONTROL.test(v)) return "must not contain control characters other than tab and line breaks (such as an escape sequence)";
    return undefined;
  });
  check("endpointUrl", (v) => {
    if (BIDI.test(v)) return "must not contain bidirectional control characters (U+202E and the like), which make a host display as another";
    const n = characters(v);
    const max = HARBOR_COLUMN_LIMITS.endpointUrlCharacters;
    return n > max ? `is ${n} characters long as Harbor stores it; Harbor's url column holds at most ${max}` : undefined;
  });
  check("accessId", (v) => {
    if (v.includes("\u0000")) return "must not contain a NUL character (Harbor's database cannot store it)";
    if (CONTROL.test(v)) return "must not contain control characters (such as a newline, tab or escape)";
    if (BIDI.test(v)) return "must not contain bidirectional control characters (U+202E and the like)";
    const n = characters(v);
    const max = HARBOR_COLUMN_LIMITS.accessIdCharacters;
    return n > max ? `is ${n} characters long; Harbor's access_key column holds at most ${max} (Harbor 2.15 and older)` : undefined;
  });
  check("accessSecret", (v) => {
    const n = Buffer.byteLength(v, "utf8");
    const max = HARBOR_COLUMN_LIMITS.accessSecretBytes;
    return n > max
      ? `is ${n} bytes long (UTF-8); Harbor stores at most ${max}, because its access_secret column holds 4096 characters of encrypted, base64-encoded text`
      : undefined;
  });
  check("caCertificate", (v) => {
    if (v.includes("\u0000")) return "must not contain a NUL character (Harbor's database cannot store it)";
    if (PRIVATE_KEY.test(v)) {
      return "holds a PEM private key: Harbor and the Pulumi state would store it in plain text; give only the CA's certificate (the -----BEGIN CERTIFICATE----- blocks)";
    }
    return undefined;
  });
  return failures;
}
