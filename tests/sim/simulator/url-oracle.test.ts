// Properties: the simulator's ValidateHTTPURL equals Go's net/url (answer and message), and every endpoint URL the
// provider's check accepts is one Harbor accepts and stores exactly as check predicted.
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { normaliseEndpointUrl } from "../../../provider/registry-endpoint/endpoint-url";
import { validateHttpUrl } from "../../../simulator/http-url";
import { askGoUrlOracle, requireGoUrlOracle } from "../../support/go-url-oracle";

// Pieces chosen to hit every branch of url.Parse and ValidateHTTPURL: schemes, user-info Go accepts or refuses,
// percent-escapes good and bad, non-ASCII and astral characters, ports, delimiters, spaces and trailing slashes.
// Bracketed IPv6 hosts are left out: their checks differ between Go releases Harbor may be built with.
const piece = (chars: string[], maxLength: number) => fc.array(fc.constantFrom(...chars), { maxLength }).map((a) => a.join(""));
const endpointUrl = fc
  .record({
    lead: fc.constantFrom("", " ", "  "),
    scheme: fc.constantFrom("http", "https", "HTTPS", "hTtP", "ftp", "git+ssh", "1http", ""),
    sep: fc.constantFrom("://", "://", "://", ":/", ":", ""),
    user: fc.option(piece(["u", "P", ":", "%41", "%4", "%zz", "@", " ", "\\", '"', "|", "\u00e9", "-", ".", "~", "!"], 5), { freq: 3 }),
    host: piece(["a", "b", "Z", "0", "9", ".", "-", "_", "~", "%41", "%C3%A9", "%zz", "%", "\u00e9", "\u{1F600}", " ", "!", "$", "<", ":", "^", "{", "\u00a0"], 10),
    port: fc.constantFrom("", "", ":", ":80", ":5000", ":x", ":99999", "::1"),
    path: piece(["/", "/", "a", "%20", "%zz", "%2F", "%0A", "\u00e9", "\u{1F680}", "?", "#", "..", " ", "\t", "%", "q=1", "&"], 8),
    trail: fc.constantFrom("", "/", "//", " ", "/ "),
  })
  .map((p) => `${p.lead}${p.scheme}${p.sep}${p.user === null ? "" : `${p.user}@`}${p.host}${p.port}${p.path}${p.trail}`);

// URLs close to valid ones, so the accepting side of check is exercised as much as the rejecting side.
const plausibleUrl = fc
  .record({
    lead: fc.constantFrom("", " "),
    scheme: fc.constantFrom("http", "https", "HTTPS"),
    host: piece(["a", "b", "z", "0", "9", ".", "-", "\u00e9", "\u{1F600}", "xn--bcher-kva", "%C3%A9"], 8),
    port: fc.constantFrom("", ":80", ":5000", ":65535", ":0"),
    path: piece(["/", "/", "/v2", "a", "%20", "%2F", "\u00e9", "\u{1F680}", "~", "..", ".", "?x=1", "#f", "%25", ";", "=", "+"], 8),
    trail: fc.constantFrom("", "/", "//", " "),
  })
  .map((p) => `${p.lead}${p.scheme}://${p.host}${p.port}${p.path}${p.trail}`);

describe("URL normalisation against Go's net/url (property-based)", function () {
  this.timeout(120_000);
  let oracle: string;
  let samples: string[];
  before(function () {
    this.timeout(300_000);
    oracle = requireGoUrlOracle(this);
    samples = fc.sample(endpointUrl, { numRuns: 4000, seed: 20260821 });
    // A fresh random batch each run as well, reported by its seed should it find a difference.
    samples.push(...fc.sample(endpointUrl, 2000));
    samples.push(...fc.sample(plausibleUrl, { numRuns: 3000, seed: 20260822 }), ...fc.sample(plausibleUrl, 1000));
  });

  it("the simulator answers every URL exactly as Harbor (Go) does: stored URL or 400 message", () => {
    const answers = askGoUrlOracle(oracle, samples);
    const differences: string[] = [];
    samples.forEach((input, i) => {
      const sim = validateHttpUrl(input);
      const go = answers[i]!;
      const same = sim.ok === go.ok && (sim.ok ? sim.url === (go as { url: string }).url : sim.message === (go as { message: string }).message);
      if (!same) differences.push(`${JSON.stringify(input)}: simulator ${JSON.stringify(sim)}, Go ${JSON.stringify(go)}`);
    });
    assert.deepEqual(differences.slice(0, 10), []);
  });

  it("every URL check accepts, Harbor accepts and stores exactly as check predicted; every URL Harbor rejects, check rejects", () => {
    const answers = askGoUrlOracle(oracle, samples);
    const differences: string[] = [];
    let accepted = 0;
    samples.forEach((input, i) => {
      const mine = normaliseEndpointUrl(input);
      const go = answers[i]!;
      if (mine.ok) {
        accepted++;
        if (!go.ok || go.url !== mine.url) differences.push(`${JSON.stringify(input)}: check stores ${mine.url}, Go ${JSON.stringify(go)}`);
      }
    });
    assert.deepEqual(differences.slice(0, 10), []);
    // The generator must exercise the accepting side too, or the property would pass empty.
    assert.ok(accepted > samples.length / 20, `only ${accepted} of ${samples.length} URLs were accepted`);
  });
});
