// Unit tests of harbor-endpoint-ca-certificate-valid: certificate validity against minDaysValid, and no private keys.
import * as assert from "node:assert/strict";
import { harborEndpointCaCertificateValid } from "../../../../policy";
import { UNKNOWN } from "../../../../provider/registry-endpoint/schema";
import { createCaCertificate } from "../../../support/tls";
import { TEST_CA_PEM } from "../../registry-endpoint/fixtures";
import { CANARY, COMPLIANT_PROPS, expectCannotCheck, violationsOf } from "../fixtures";

/** A self-signed CA (CN=expired-ca) valid from 2020-01-01 to 2020-02-01. */
const EXPIRED_CA_PEM = `-----BEGIN CERTIFICATE-----
MIIBWzCCAQGgAwIBAgIBATAKBggqhkjOPQQDAjAVMRMwEQYDVQQDDApleHBpcmVk
LWNhMB4XDTIwMDEwMTAwMDAwMFoXDTIwMDIwMTAwMDAwMFowFTETMBEGA1UEAwwK
ZXhwaXJlZC1jYTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABAXgeZYhBngf9Rwu
M7BABcNiBfJ+Cpvc/RDf+Z0Y3NcsmN736n2UFXicMYI8uhPosLpomVugwjMnK9om
vlfrhHWjQjBAMA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgEGMB0GA1Ud
DgQWBBTaMqpa0Lp+SkDBGVrS4zrw/WYJCzAKBggqhkjOPQQDAgNIADBFAiAhnAFr
vxbzymZ3mpw8Exjr3FkWmpJEyw3c8DUmTWPQ/wIhANTJ27lh2h/HnuM+4JBAblKP
4c1Vlzq+WV4VUu3GIrPL
-----END CERTIFICATE-----
`;

/** A self-signed CA (CN=future-ca) valid from 2099-01-01 to 2100-01-01. */
const FUTURE_CA_PEM = `-----BEGIN CERTIFICATE-----
MIIBXTCCAQOgAwIBAgIBAjAKBggqhkjOPQQDAjAUMRIwEAYDVQQDDAlmdXR1cmUt
Y2EwIhgPMjA5OTAxMDEwMDAwMDBaGA8yMTAwMDEwMTAwMDAwMFowFDESMBAGA1UE
AwwJZnV0dXJlLWNhMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEBeB5liEGeB/1
HC4zsEAFw2IF8n4Km9z9EN/5nRjc1yyY3vfqfZQVeJwxgjy6E+iwumiZW6DCMycr
2ia+V+uEdaNCMEAwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAQYwHQYD
VR0OBBYEFNoyqlrQun5KQMEZWtLjOvD9ZgkLMAoGCCqGSM49BAMCA0gAMEUCIQDd
fjnhiBBBieNpNUAt25hZ2ocIMaVlliWAQPtyu1q6GgIgUYRKmqmno9SvBJeEFkm+
HqvEI9Mx5vpHFvZywPONAEY=
-----END CERTIFICATE-----
`;

/** A private key block whose body is the canary: it must never be echoed. */
const KEY_BLOCK = `-----BEGIN EC PRIVATE KEY-----\n${CANARY}\n-----END EC PRIVATE KEY-----\n`;

describe("policy harbor-endpoint-ca-certificate-valid", () => {
  let tenDays: string;
  before(function () {
    this.timeout(20000);
    tenDays = createCaCertificate("ten-day-ca", 10);
  });

  it("is advisory by default with minDaysValid defaulting to 30", () => {
    assert.equal(harborEndpointCaCertificateValid.enforcementLevel, "advisory");
    assert.equal(harborEndpointCaCertificateValid.configSchema?.properties.minDaysValid?.default, 30);
  });

  it("passes endpoints without caCertificate and a bundle valid for long enough", () => {
    assert.deepEqual(violationsOf(harborEndpointCaCertificateValid, { ...COMPLIANT_PROPS }), []);
    assert.deepEqual(violationsOf(harborEndpointCaCertificateValid, { ...COMPLIANT_PROPS, caCertificate: TEST_CA_PEM }), []);
  });

  it("reports a certificate expiring in 10 days, naming the endpoint, the block, its subject and date", () => {
    const [message, ...rest] = violationsOf(harborEndpointCaCertificateValid, { ...COMPLIANT_PROPS, caCertificate: TEST_CA_PEM + tenDays });
    assert.deepEqual(rest, []);
    assert.match(message!, /registry endpoint "registry-example" \(resource "registry"\): caCertificate block 2 of 2 \("CN=ten-day-ca"\) expires on \d{4}-\d\d-\d\d, in (9|10) days, less than the required 30/);
    assert.match(message!, /replace it with the CA's renewed certificate/);
  });

  it("honours a configured minDaysValid", () => {
    assert.deepEqual(violationsOf(harborEndpointCaCertificateValid, { ...COMPLIANT_PROPS, caCertificate: tenDays }, { config: { minDaysValid: 7 } }), []);
    assert.equal(violationsOf(harborEndpointCaCertificateValid, { ...COMPLIANT_PROPS, caCertificate: tenDays }, { config: { minDaysValid: 11 } }).length, 1);
  });

  it("reports expired and not-yet-valid certificates", () => {
    const messages = violationsOf(harborEndpointCaCertificateValid, { ...COMPLIANT_PROPS, caCertificate: EXPIRED_CA_PEM + FUTURE_CA_PEM }, { config: { minDaysValid: 0 } });
    assert.equal(messages.length, 2);
    assert.match(messages[0]!, /block 1 of 2 \("CN=expired-ca"\) expired on 2020-02-01/);
    assert.match(messages[1]!, /block 2 of 2 \("CN=future-ca"\) is not valid before 2099-01-01/);
  });

  it("reports a private key in the bundle without echoing it", () => {
    const [message] = violationsOf(harborEndpointCaCertificateValid, { ...COMPLIANT_PROPS, caCertificate: TEST_CA_PEM + KEY_BLOCK });
    assert.match(message!, /caCertificate block 2 of 2 is a private key \(EC PRIVATE KEY\); remove it/);
    assert.ok(!message!.includes(CANARY));
  });

  it("cannot check an unknown caCertificate", () => {
    expectCannotCheck(harborEndpointCaCertificateValid, { ...COMPLIANT_PROPS, caCertificate: UNKNOWN }, /caCertificate/);
  });
});
