// Unit tests of name derivation for generated code: logical names, identifiers and config keys from Harbor names.
import * as assert from "node:assert/strict";
import { asciiWords, baseLogicalName, deriveNames, identifierFor, RESERVED_IDENTIFIERS } from "../../../cli/generate/names";

function names(list: [number, string][], prefix?: string) {
  const derived = deriveNames(list.map(([id, name]) => ({ id, name, type: "docker-registry" })), { prefix });
  return list.map(([id]) => derived.get(id)!);
}

describe("cli generate: name derivation", () => {
  describe("logical names", () => {
    it("turns spaces, case and punctuation into kebab-case", () => {
      assert.equal(baseLogicalName({ id: 1, name: "Docker Hub mirror (CI)" }), "docker-hub-mirror-ci");
      assert.equal(baseLogicalName({ id: 1, name: "  __build.cache__  " }), "build-cache");
      assert.equal(baseLogicalName({ id: 1, name: "DockerHubMirror" }), "docker-hub-mirror");
      assert.equal(baseLogicalName({ id: 1, name: "ECRProd" }), "ecr-prod");
    });
    it("folds accented Latin letters to ASCII (NFKD, ß, æ, ø, ł)", () => {
      assert.equal(baseLogicalName({ id: 1, name: "Zürich Straße" }), "zurich-strasse");
      assert.equal(baseLogicalName({ id: 1, name: "Ærø Łódź" }), "aero-lodz");
      assert.equal(baseLogicalName({ id: 1, name: "ｆｕｌｌｗｉｄｔｈ" }), "fullwidth");
    });
    it("keeps the ASCII part of mixed-script names and falls back to type and id when nothing is ASCII", () => {
      assert.equal(baseLogicalName({ id: 3, name: "华为 cache" }), "cache");
      assert.equal(baseLogicalName({ id: 7, name: "华为镜像", type: "huawei-SWR" }), "huawei-swr-7");
      assert.equal(baseLogicalName({ id: 8, name: "🚀🚀" }), "registry-8");
    });
    it("prefixes the connection name", () => {
      assert.equal(baseLogicalName({ id: 1, name: "Hub" }, "eu_west"), "eu-west-hub");
    });
    it("only ever contains lower-case ASCII letters, digits and single inner dashes", () => {
      for (const name of ["a", "--a--b--", "A_B C.D", "x\u202ey", "name\twith\ttabs", "é", "Ǆ", "ﬁle", "😀x😀"]) {
        assert.match(baseLogicalName({ id: 1, name }), /^[a-z0-9]+(-[a-z0-9]+)*$/, name);
      }
    });
  });

  describe("collisions", () => {
    it("gives a numeric suffix to later endpoints whose names fold to the same slug, by Harbor id", () => {
      const [a, b, c] = names([[5, "build-cache"], [2, "Build Cache"], [9, "BUILD_CACHE"]]);
      assert.equal(b!.logicalName, "build-cache");
      assert.equal(a!.logicalName, "build-cache-2");
      assert.equal(c!.logicalName, "build-cache-3");
    });
    it("never hands out a suffixed name that another endpoint's own name folds to", () => {
      const [a, b, c] = names([[1, "cache"], [2, "Cache"], [3, "cache 2"]]);
      assert.equal(a!.logicalName, "cache");
      assert.equal(c!.logicalName, "cache-2");
      assert.equal(b!.logicalName, "cache-3");
    });
    it("does not depend on the order the endpoints are listed in", () => {
      const list: [number, string][] = [[4, "x"], [1, "X"], [3, "x!"], [2, "华为"]];
      const one = deriveNames(list.map(([id, name]) => ({ id, name })));
      const two = deriveNames([...list].reverse().map(([id, name]) => ({ id, name })));
      assert.deepEqual([...one].sort(([a], [b]) => a - b), [...two].sort(([a], [b]) => a - b));
    });
    it("keeps identifiers and config keys unique when camelCase folds two slugs together", () => {
      const [a, b] = names([[1, "a 1"], [2, "a1"]]);
      assert.notEqual(a!.logicalName, b!.logicalName);
      assert.equal(a!.identifier, "a1");
      assert.equal(b!.identifier, "a12");
      assert.notEqual(a!.secretConfigKey, b!.secretConfigKey);
    });
    it("keeps a reserved word's identifier apart from a name that already ends in Endpoint", () => {
      const [a, b] = names([[1, "delete"], [2, "delete endpoint"]]);
      assert.equal(a!.identifier, "deleteEndpoint");
      assert.equal(b!.identifier, "deleteEndpoint2");
      assert.equal(new Set([a!.secretConfigKey, b!.secretConfigKey]).size, 2);
    });
    it("derives every name unique across 200 endpoints with clashing names", () => {
      const list: [number, string][] = Array.from({ length: 200 }, (_, i) => [i + 1, ["hub", "Hub", "hub 2", "HUB-2", "华为"][i % 5]! + (i % 3 === 0 ? "" : " x")]);
      const all = names(list);
      for (const key of ["logicalName", "identifier", "secretConfigKey"] as const) assert.equal(new Set(all.map((n) => n[key])).size, 200, key);
    });
  });

  describe("identifiers", () => {
    it("camelCases the logical name", () => {
      assert.equal(identifierFor("docker-hub-mirror"), "dockerHubMirror");
    });
    it("prefixes a leading digit with endpoint", () => {
      assert.equal(identifierFor("2nd-mirror"), "endpoint2ndMirror");
    });
    it("suffixes reserved words, CommonJS wrapper names and the module's own names with Endpoint", () => {
      for (const w of ["delete", "new", "class", "default", "enum", "await", "yield", "let", "static", "arguments", "eval", "exports", "require", "module", "undefined", "config", "pulumi", "registryIds"]) {
        assert.equal(identifierFor(w), `${w}Endpoint`, w);
      }
      assert.ok(RESERVED_IDENTIFIERS.has("interface"));
    });
    it("derives the secret config key from the identifier", () => {
      const [n] = names([[1, "Docker Hub"]], "prod");
      assert.deepEqual(n, { logicalName: "prod-docker-hub", identifier: "prodDockerHub", secretConfigKey: "prodDockerHubAccessSecret" });
    });
  });

  it("splits into ASCII words", () => {
    assert.deepEqual(asciiWords("Harbor → EU-West (prod)"), ["harbor", "eu", "west", "prod"]);
  });
});
