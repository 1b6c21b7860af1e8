// Shared test fixtures for the RegistryEndpoint unit tests: a valid self-signed CA certificate and a canary secret.
import { canary } from "../../support/canary";

/** A self-signed EC CA certificate (CN=test-ca), valid until 2126. */
export const TEST_CA_PEM = `-----BEGIN CERTIFICATE-----
MIIBezCCASGgAwIBAgIUTNWYgvlj6Qz4pX7hLHczo5mL9HMwCgYIKoZIzj0EAwIw
EjEQMA4GA1UEAwwHdGVzdC1jYTAgFw0yNjExMjcwNTMzNTBaGA8yMTI2MTEwMzA1
MzM1MFowEjEQMA4GA1UEAwwHdGVzdC1jYTBZMBMGByqGSM49AgEGCCqGSM49AwEH
A0IABPzjr9yvzpVI+s6ooT8MMlVPeG8U6b6cRMw+1RVZo83+f9q6xA+GF1lV/Xqr
rC9wn98a7LnRdGmZ8eV4xCTNqBejUzBRMB0GA1UdDgQWBBQ2bK66hUPtzvrxAI3U
JZVIuaz0YjAfBgNVHSMEGDAWgBQ2bK66hUPtzvrxAI3UJZVIuaz0YjAPBgNVHRMB
Af8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIAozlFWTCmC6My/bL7sdKCD4VKCN
stPJh+FPqUahs/4MAiEAnSyqWY2hQ7FxNIJFtnLLgIAmw7dZv4tu9VH0jsvuFMM=
-----END CERTIFICATE-----\n`;

/** A secret value that must never appear in any failure, error or log (tests/support/canary.ts). */
export const CANARY = canary("unit-fixture");

/** A syntactically plausible Google service-account key (the private key is a placeholder, not a real key). */
export const GCR_KEY = JSON.stringify({
  type: "service_account",
  project_id: "proj",
  client_email: "sa@proj.iam.gserviceaccount.com",
  private_key: "-----BEGIN PRIVATE KEY-----\nCANARYKEY\n-----END PRIVATE KEY-----\n",
});
